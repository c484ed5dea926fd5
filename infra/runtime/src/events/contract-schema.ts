// Reading schema/events/<type>.json for the generator and the compatibility check.
// Each event file has this shape (anything else is refused, loudly):
//
//   { "$schema": draft-07, "$id": "<type>.json", "title": "<type> v<version>",
//     "description": "…", "type": "object", "allOf": [{ "$ref": "envelope.json" }],
//     "properties": { "type": { "const": "<type>" }, "version": { "const": <version> },
//                     "payload": <schema> } }
//
// and a payload schema uses only the keywords in KEYWORDS below: enough for our events,
// small enough that the generator and the compatibility rules cover every one of them.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findRepoFile } from '../files';

/** A JSON Schema node, as written. */
export type SchemaNode = { [keyword: string]: unknown };

export interface EventContract {
  /** `<owner>.<entity>.<event>`, also the topic. */
  type: string;
  version: number;
  description: string;
  payload: SchemaNode;
  /** The file it was read from, for messages. */
  file: string;
}

export class EventSchemaError extends Error {
  override name = 'EventSchemaError';
}

export const SIMPLE_TYPES = ['string', 'integer', 'number', 'boolean', 'null', 'object', 'array'];

/** Keywords a payload schema node may use. */
const KEYWORDS = new Set([
  'type',
  'description',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
]);

export function eventSchemaDir(): string {
  return path.dirname(findRepoFile('schema/events/envelope.json'));
}

/** Where each published version's schema is kept: schema/events/published/<type>.v<n>.json. */
export function publishedSchemaPath(dir: string, type: string, version: number): string {
  return path.join(dir, 'published', `${type}.v${version}.json`);
}

const isObject = (x: unknown): x is SchemaNode =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** The type names a node allows (`"type": "string"` or `"type": ["string", "null"]`). */
export function typesOf(node: SchemaNode): string[] {
  if (node.type === undefined) return [];
  return (Array.isArray(node.type) ? node.type : [node.type]) as string[];
}

/** Throws EventSchemaError for anything outside the supported subset. */
export function checkPayloadNode(node: unknown, at: string): void {
  const fail = (why: string) => {
    throw new EventSchemaError(`${at}: ${why}`);
  };
  if (!isObject(node)) return fail('a schema must be an object');
  for (const keyword of Object.keys(node)) {
    if (!KEYWORDS.has(keyword)) fail(`unsupported keyword "${keyword}"`);
  }
  const types = typesOf(node);
  if (types.length === 0 && node.const === undefined && node.enum === undefined) {
    fail('needs "type", "enum" or "const"');
  }
  for (const t of types) {
    if (typeof t !== 'string' || !SIMPLE_TYPES.includes(t)) fail(`unsupported type ${String(t)}`);
  }
  if (node.description !== undefined && typeof node.description !== 'string') {
    fail('"description" must be a string');
  }
  if (node.enum !== undefined) {
    const values = node.enum;
    if (!Array.isArray(values) || values.length === 0) fail('"enum" must be a non-empty array');
    for (const v of values as unknown[]) {
      if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) {
        fail('enum values must be strings, numbers, booleans or null');
      }
    }
  }
  if (node.const !== undefined && node.const !== null && isObject(node.const)) {
    fail('"const" must be a string, number, boolean or null');
  }
  const objectish = node.properties !== undefined || node.required !== undefined;
  if (objectish && !types.includes('object')) fail('"properties" need "type": "object"');
  if (types.includes('object')) {
    if (!isObject(node.properties)) fail('an object needs "properties"');
    if (typeof node.additionalProperties !== 'boolean') {
      fail('an object needs "additionalProperties": true or false');
    }
    const required = node.required ?? [];
    if (!Array.isArray(required)) return fail('"required" must be an array');
    for (const name of required) {
      if (!Object.hasOwn(node.properties as SchemaNode, name as string)) {
        fail(`required "${String(name)}" is not a property`);
      }
    }
    for (const [name, child] of Object.entries(node.properties as SchemaNode)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        fail(`property name "${name}" is not an identifier`);
      checkPayloadNode(child, `${at}.${name}`);
    }
  }
  if (types.includes('array')) {
    if (node.items === undefined) fail('an array needs "items"');
    checkPayloadNode(node.items, `${at}[]`);
  } else if (node.items !== undefined) {
    fail('"items" needs "type": "array"');
  }
}

/** One event schema file, checked: throws EventSchemaError naming the file and the problem. */
export function parseEventSchema(file: string, schema: unknown): EventContract {
  const fail = (why: string): never => {
    throw new EventSchemaError(`${file}: ${why}`);
  };
  if (!isObject(schema)) return fail('not a JSON object');
  const expectedKeys = [
    '$schema',
    '$id',
    'title',
    'description',
    'type',
    'allOf',
    'properties',
  ].sort();
  const keys = Object.keys(schema).sort();
  if (keys.join() !== expectedKeys.join()) {
    fail(`top-level keys must be exactly ${expectedKeys.join(', ')} (found ${keys.join(', ')})`);
  }
  if (schema.$schema !== 'http://json-schema.org/draft-07/schema#')
    fail('$schema must be draft-07');
  if (schema.type !== 'object') fail('"type" must be "object"');
  if (JSON.stringify(schema.allOf) !== JSON.stringify([{ $ref: 'envelope.json' }])) {
    fail('"allOf" must be [{ "$ref": "envelope.json" }]');
  }
  const props = schema.properties;
  if (!isObject(props) || Object.keys(props).sort().join() !== 'payload,type,version') {
    return fail('"properties" must be exactly type, version and payload');
  }
  const type = isObject(props.type) ? props.type.const : undefined;
  if (typeof type !== 'string' || !/^[a-z-]+\.[a-z-]+\.[a-z-]+$/.test(type)) {
    return fail('properties.type must be { "const": "<owner>.<entity>.<event>" }');
  }
  const version = isObject(props.version) ? props.version.const : undefined;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return fail('properties.version must be { "const": <integer ≥ 1> }');
  }
  if (schema.$id !== `${type}.json`) fail(`"$id" must be "${type}.json"`);
  if (schema.title !== `${type} v${version}`) fail(`"title" must be "${type} v${version}"`);
  if (typeof schema.description !== 'string' || schema.description === '') {
    fail('"description" must say what happened and what the key is');
  }
  const payload = props.payload;
  if (!isObject(payload) || payload.type !== 'object') fail('payload must be "type": "object"');
  checkPayloadNode(payload, `${file}: payload`);
  return {
    type,
    version,
    description: schema.description as string,
    payload: payload as SchemaNode,
    file,
  };
}

/** Every event schema in `dir` (not the envelope, not published snapshots), by type. */
export function readEventContracts(dir: string = eventSchemaDir()): EventContract[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'envelope.json')
    .sort()
    .map((f) => {
      const contract = parseEventSchema(f, JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
      if (f !== `${contract.type}.json`) {
        throw new EventSchemaError(`${f}: must be named ${contract.type}.json`);
      }
      return contract;
    });
}
