// The event half of `npm run schema:check`: each event contract of the base
// (schema/events/<type>.json) against the proposed one, with the runtime's
// compatibility rules (infra/runtime/src/events/compat.ts). An incompatible change —
// a field removed or newly required, a type or constraint tightened, the type
// removed, or a new version (old consumers refuse it: they validate against the
// version they were built with) — fails when a service consumes the event, naming
// each consuming service; with no consumer it passes with a warning.
//
// Who consumes what is not listed here: it is each subgraph's own declaration, the
// `consumes` map of its domain modules (runtime module.ts), read from the subgraphs
// of the registry as `npm start` assembles them — the proposed code's, so a pull
// that also stops a service consuming an event is weighed with that.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { incompatibilities } from '@customer-graph/runtime';
import { loadSubgraphs } from '../subgraph-modules';
import type { Findings } from './schema-diff';

export const EVENTS_DIR = 'schema/events';
const ENVELOPE = 'envelope.json';

/** The contracts of one tree: event type → its parsed schema file; and the envelope. */
export interface EventContracts {
  events: Record<string, unknown>;
  envelope: unknown;
}

/** Event type → the services whose modules consume it, in registry order. */
export type Consumers = Record<string, string[]>;

export async function declaredConsumers(): Promise<Consumers> {
  const consumers: Consumers = {};
  for (const [service, subgraph] of Object.entries(await loadSubgraphs())) {
    for (const type of Object.keys(subgraph.consumes ?? {})) {
      (consumers[type] ??= []).push(service);
    }
  }
  return consumers;
}

/** Builds the contracts from (file name, text) pairs of schema/events/ (not published/). */
export function eventContracts(files: [name: string, text: string][]): EventContracts {
  const contracts: EventContracts = { events: {}, envelope: undefined };
  for (const [name, text] of files) {
    if (!name.endsWith('.json')) continue;
    const json: unknown = JSON.parse(text);
    if (name === ENVELOPE) contracts.envelope = json;
    else contracts.events[name.replace(/\.json$/, '')] = json;
  }
  return contracts;
}

/** The working tree's contracts under `root`. */
export function readEventContracts(root: string): EventContracts {
  const dir = path.join(root, EVENTS_DIR);
  if (!existsSync(dir)) return eventContracts([]);
  return eventContracts(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]),
  );
}

/** A schema without its descriptions, to tell a reworded contract from a changed one. */
function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'description')
      .map(([key, v]) => [key, withoutDescriptions(v)]),
  );
}

export function eventContractFindings(
  base: EventContracts,
  proposed: EventContracts,
  consumers: Consumers,
): Findings {
  const findings: Findings = { failures: [], warnings: [], notes: [] };
  for (const [type, before] of Object.entries(base.events)) {
    const after = proposed.events[type];
    const file = `${EVENTS_DIR}/${type}.json`;
    let problems: string[];
    try {
      problems =
        after === undefined ? ['the event type was removed'] : incompatibilities(before, after);
    } catch (error) {
      // A contract outside the schema subset the runtime reads: say which file.
      findings.failures.push(`${file}: ${(error as Error).message}`);
      continue;
    }
    if (problems.length === 0) continue;
    const services = consumers[type] ?? [];
    if (services.length > 0) {
      findings.failures.push(
        `${file} breaks its consumers ${services.join(', ')} (they consume ${type}): ${problems.join('; ')}`,
      );
    } else {
      findings.warnings.push(
        `${file} changed incompatibly, but no service consumes ${type}: ${problems.join('; ')}`,
      );
    }
  }
  const before = JSON.stringify(withoutDescriptions(base.envelope));
  if (before !== JSON.stringify(withoutDescriptions(proposed.envelope))) {
    const everyone = [...new Set(Object.values(consumers).flat())];
    findings.warnings.push(
      `${EVENTS_DIR}/${ENVELOPE} changed: every consumer reads the envelope (${everyone.join(', ')}); no rule checks it, review it by hand`,
    );
  }
  const checked = Object.keys(base.events).length;
  findings.notes.push(`${checked} event contracts compared`);
  return findings;
}
