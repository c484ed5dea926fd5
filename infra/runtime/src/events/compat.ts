// Whether an event schema may keep its version number. Events of one version are
// read by every consumer, old and new code alike, for as long as Kafka keeps them, so
// a schema may change within a version only in ways both sides survive:
//
// - the required fields stay the same set (a new required field is missing from old
//   events; a dropped one is missing for consumers that rely on it);
// - no property is removed (old events carry it);
// - each property keeps its exact type list (`string` → `string | null` hands old
//   consumers a null, `string | null` → `string` refuses old events);
// - a constraint may be loosened or dropped, never added or tightened: an enum may
//   gain values but not lose one, additionalProperties may go from false to true but
//   not back, min*/max* may only widen, format, pattern and const may not appear or
//   change;
// - adding an optional property, or changing a description, is fine.
//
// Anything else needs a new version (and its own snapshot in schema/events/published/).
import type { SchemaNode } from './contract-schema';
import { parseEventSchema, typesOf } from './contract-schema';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function compareNodes(old: SchemaNode, now: SchemaNode, at: string, problems: string[]): void {
  const oldTypes = typesOf(old).sort();
  const newTypes = typesOf(now).sort();
  if (!same(oldTypes, newTypes)) {
    problems.push(`${at}: type changed from [${oldTypes}] to [${newTypes}]`);
  }
  if (!same(old.const, now.const)) {
    problems.push(
      `${at}: const changed from ${JSON.stringify(old.const)} to ${JSON.stringify(now.const)}`,
    );
  }
  if (now.enum !== undefined) {
    if (old.enum === undefined) {
      problems.push(`${at}: enum added`);
    } else {
      const kept = new Set((now.enum as unknown[]).map((v) => JSON.stringify(v)));
      for (const v of old.enum as unknown[]) {
        if (!kept.has(JSON.stringify(v)))
          problems.push(`${at}: enum value ${JSON.stringify(v)} removed`);
      }
    }
  }
  for (const keyword of ['format', 'pattern'] as const) {
    if (now[keyword] !== undefined && now[keyword] !== old[keyword]) {
      problems.push(
        `${at}: ${keyword} ${old[keyword] === undefined ? 'added' : 'changed'}: ${String(now[keyword])}`,
      );
    }
  }
  for (const [keyword, tighter] of [
    ['minLength', 1],
    ['minimum', 1],
    ['minItems', 1],
    ['maxLength', -1],
    ['maximum', -1],
    ['maxItems', -1],
  ] as const) {
    const before = old[keyword] as number | undefined;
    const after = now[keyword] as number | undefined;
    if (after === undefined) continue;
    if (before === undefined || (after - before) * tighter > 0) {
      problems.push(
        `${at}: ${keyword} ${before === undefined ? 'added' : 'tightened'}: ${before} → ${after}`,
      );
    }
  }
  if (old.additionalProperties === true && now.additionalProperties === false) {
    problems.push(`${at}: additionalProperties tightened to false`);
  }
  if (old.properties !== undefined && now.properties !== undefined) {
    const oldProps = old.properties as Record<string, SchemaNode>;
    const newProps = now.properties as Record<string, SchemaNode>;
    const oldRequired = new Set((old.required as string[] | undefined) ?? []);
    const newRequired = new Set((now.required as string[] | undefined) ?? []);
    for (const name of oldRequired) {
      if (!newRequired.has(name)) problems.push(`${at}.${name}: no longer required`);
    }
    for (const name of newRequired) {
      if (!oldRequired.has(name)) problems.push(`${at}.${name}: newly required`);
    }
    for (const [name, child] of Object.entries(oldProps)) {
      if (!Object.hasOwn(newProps, name)) problems.push(`${at}.${name}: property removed`);
      else compareNodes(child, newProps[name], `${at}.${name}`, problems);
    }
  }
  if (old.items !== undefined && now.items !== undefined) {
    compareNodes(old.items as SchemaNode, now.items as SchemaNode, `${at}[]`, problems);
  }
}

/**
 * Why `current` may not replace `published` under the same version: one sentence per
 * problem, none when it may. Both are whole event schema files (parsed; a schema
 * outside the supported subset throws).
 */
export function incompatibilities(published: unknown, current: unknown): string[] {
  const old = parseEventSchema('published', published);
  const now = parseEventSchema('current', current);
  const problems: string[] = [];
  if (old.type !== now.type) problems.push(`type changed from ${old.type} to ${now.type}`);
  if (old.version !== now.version) {
    problems.push(`version changed from ${old.version} to ${now.version}`);
  }
  compareNodes(old.payload, now.payload, 'payload', problems);
  return problems;
}
