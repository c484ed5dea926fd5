// The compatibility rules on hand-made changes to a real event schema: each
// incompatible change is named, the compatible ones pass.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { incompatibilities } from './compat';
import { eventSchemaDir } from './contract-schema';
import type { SchemaNode } from './contract-schema';

const published = JSON.parse(
  readFileSync(path.join(eventSchemaDir(), 'followers.follower.phone-shared.json'), 'utf8'),
);

/** A copy of the published schema with its payload changed by `change`. */
function changed(
  change: (payload: SchemaNode & { properties: Record<string, SchemaNode> }) => void,
) {
  const copy = structuredClone(published);
  change(copy.properties.payload);
  return copy;
}

describe('incompatibilities', () => {
  it('finds none for the same schema', () => {
    expect(incompatibilities(published, published)).toEqual([]);
  });

  it('allows an optional field, a description, a looser constraint', () => {
    const current = changed((p) => {
      p.properties.nickname = { type: ['string', 'null'], description: 'What friends call them.' };
      p.properties.phone.description = 'Exactly as typed.';
      p.properties.zaloUserId.minLength = 0;
      delete p.properties.phoneE164.pattern;
      p.additionalProperties = true;
    });
    expect(incompatibilities(published, current)).toEqual([]);
  });

  it.each<[string, Parameters<typeof changed>[0], RegExp]>([
    [
      'a required field added',
      (p) => void (p.required as string[]).push('name'),
      /payload\.name: newly required/,
    ],
    [
      'a required field removed',
      (p) => (p.required = (p.required as string[]).filter((f) => f !== 'phone')),
      /payload\.phone: no longer required/,
    ],
    ['a property removed', (p) => delete p.properties.ward, /payload\.ward: property removed/],
    ['a type narrowed', (p) => (p.properties.name.type = 'string'), /payload\.name: type changed/],
    [
      'a type changed',
      (p) => (p.properties.phone.type = 'integer'),
      /payload\.phone: type changed/,
    ],
    [
      'a type widened',
      (p) => (p.properties.phone.type = ['string', 'null']),
      /payload\.phone: type changed/,
    ],
    [
      'a pattern changed',
      (p) => (p.properties.phoneE164.pattern = '^\\+84'),
      /phoneE164: pattern changed/,
    ],
    [
      'a format added',
      (p) => (p.properties.zaloUserId.format = 'uuid'),
      /zaloUserId: format added/,
    ],
    [
      'a minLength tightened',
      (p) => (p.properties.phone.minLength = 5),
      /phone: minLength tightened/,
    ],
    ['a maxLength added', (p) => (p.properties.phone.maxLength = 20), /phone: maxLength added/],
    ['an enum added', (p) => (p.properties.city.enum = ['HN', null]), /city: enum added/],
  ])('catches %s', (_, change, problem) => {
    const problems = incompatibilities(published, changed(change));
    expect(problems).toEqual([expect.stringMatching(problem)]);
  });

  it('catches additionalProperties tightened, and an enum value removed', () => {
    const loose = changed((p) => {
      p.additionalProperties = true;
      p.properties.channel = { enum: ['OA', 'MINI_APP'] };
    });
    const tight = structuredClone(loose);
    tight.properties.payload.additionalProperties = false;
    tight.properties.payload.properties.channel.enum = ['OA', 'WEB'];
    expect(incompatibilities(loose, tight)).toEqual([
      'payload: additionalProperties tightened to false',
      'payload.channel: enum value "MINI_APP" removed',
    ]);
    // Gaining an enum value is allowed.
    const wider = structuredClone(loose);
    wider.properties.payload.properties.channel.enum = ['OA', 'MINI_APP', 'WEB'];
    expect(incompatibilities(loose, wider)).toEqual([]);
  });

  it('looks into nested objects and array items', () => {
    const withItems = changed((p) => {
      p.properties.tags = {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id'],
          properties: { id: { type: 'string' }, label: { type: 'string' } },
        },
      };
    });
    const narrowed = structuredClone(withItems);
    narrowed.properties.payload.properties.tags.items.properties.label.type = 'integer';
    delete narrowed.properties.payload.properties.tags.items.properties.id;
    narrowed.properties.payload.properties.tags.items.required = [];
    expect(incompatibilities(withItems, narrowed)).toEqual([
      'payload.tags[].id: no longer required',
      'payload.tags[].id: property removed',
      'payload.tags[].label: type changed from [string] to [integer]',
    ]);
  });

  it('names a changed type or version', () => {
    const other = structuredClone(published);
    other.properties.version.const = 2;
    other.title = 'followers.follower.phone-shared v2';
    expect(incompatibilities(published, other)).toEqual(['version changed from 1 to 2']);
  });

  it('refuses a schema outside the supported subset rather than guessing', () => {
    const current = changed((p) => (p.properties.name = { oneOf: [{ type: 'string' }] }));
    expect(() => incompatibilities(published, current)).toThrow(
      /payload\.name: unsupported keyword "oneOf"/,
    );
  });
});
