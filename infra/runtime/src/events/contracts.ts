// Event contracts: one JSON Schema per event type in schema/events/, checked when an
// event is written to the outbox (an invalid event fails the transaction) and when
// it is consumed (an invalid one goes to the dead-letter topic).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { findRepoFile } from '../files';

export class EventContractError extends Error {
  override name = 'EventContractError';
}

let validators: Map<string, ValidateFunction> | undefined;

function load(): Map<string, ValidateFunction> {
  const dir = path.dirname(findRepoFile('schema/events/envelope.json'));
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  for (const file of files) ajv.addSchema(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
  const map = new Map<string, ValidateFunction>();
  for (const file of files) {
    if (file === 'envelope.json') continue;
    map.set(file.replace(/\.json$/, ''), ajv.getSchema(file)!);
  }
  return map;
}

/** Throws EventContractError naming every violation; returns the event typed. */
export function assertValidEvent(event: unknown): void {
  validators ??= load();
  const type = (event as { type?: unknown })?.type;
  const validate = typeof type === 'string' ? validators.get(type) : undefined;
  if (!validate) throw new EventContractError(`unknown event type ${JSON.stringify(type)}`);
  if (!validate(event)) {
    const problems = (validate.errors ?? [])
      .map((e) => `${e.instancePath || '/'} ${e.message}`)
      .join('; ');
    throw new EventContractError(`invalid ${type} event: ${problems}`);
  }
}
