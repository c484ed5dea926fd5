// `npm run schema:check`: is a proposed change to the graph's contracts safe for the
// clients and services that rely on them? It weighs the proposed tree (the working
// tree: schema/<subgraph>.graphql, schema/operations/**, schema/events/*.json and the
// services' event consumers) against a base (main's committed supergraph, its
// registered operations and its event contracts), and reports failures, warnings
// and notes. See docs/schema-changes.md.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  eventContractFindings,
  eventContracts,
  EVENTS_DIR,
  readEventContracts,
} from './event-contracts';
import type { Consumers, EventContracts } from './event-contracts';
import {
  OPERATIONS_DIR,
  operationFile,
  readOperationFiles,
  registeredOperations,
} from './operations';
import type { OperationFile } from './operations';
import { apiSchemaOf, composeProposed, schemaChangeFindings } from './schema-diff';
import type { Findings } from './schema-diff';

export interface BaseTree {
  supergraphSdl: string;
  operations: OperationFile[];
  events: EventContracts;
}

export interface ProposedTree {
  /** A subgraph's SDL by name (schema/<name>.graphql). */
  readSdl: (name: string) => string;
  operations: OperationFile[];
  events: EventContracts;
  consumers: Consumers;
}

export async function checkChange(base: BaseTree, proposed: ProposedTree): Promise<Findings> {
  const supergraph = composeProposed(proposed.readSdl);
  const graph = await schemaChangeFindings(
    apiSchemaOf(base.supergraphSdl),
    apiSchemaOf(supergraph),
    registeredOperations(base.operations),
    registeredOperations(proposed.operations),
  );
  const events = eventContractFindings(base.events, proposed.events, proposed.consumers);
  return {
    failures: [...graph.failures, ...events.failures],
    warnings: [...graph.warnings, ...events.warnings],
    notes: [...graph.notes, ...events.notes],
  };
}

function git(root: string, args: string[]): string {
  return execFileSync('git', ['-C', root, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The commit `ref` names; throws a message saying how to get it when it is missing. */
export function resolveBase(root: string, ref: string): string {
  try {
    return git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).trim();
  } catch {
    throw new Error(
      `base ${ref} is not a commit here: fetch it (git fetch origin main:main) or pass --base <ref>`,
    );
  }
}

/** The base tree at a commit: its supergraph, operations and event contracts. */
export function baseFromGit(root: string, commit: string): BaseTree {
  const list = (dir: string, recursive: boolean) =>
    git(root, ['ls-tree', ...(recursive ? ['-r'] : []), '--name-only', commit, '--', `${dir}/`])
      .split('\n')
      .filter((f) => f !== '');
  const show = (file: string) => git(root, ['show', `${commit}:${file}`]);
  return {
    supergraphSdl: show('schema/supergraph.graphql'),
    operations: list(OPERATIONS_DIR, true)
      .filter((f) => f.endsWith('.graphql'))
      .map((f) => operationFile(f, show(f))),
    events: eventContracts(
      list(EVENTS_DIR, false)
        .filter((f) => f.endsWith('.json'))
        .map((f) => [path.posix.basename(f), show(f)]),
    ),
  };
}

/** The working tree under `root`, with the consumers its services declare. */
export function proposedFromWorkingTree(root: string, consumers: Consumers): ProposedTree {
  return {
    readSdl: (name) => readFileSync(path.join(root, 'schema', `${name}.graphql`), 'utf8'),
    operations: readOperationFiles(root),
    events: readEventContracts(root),
    consumers,
  };
}

export function formatFindings(findings: Findings): string {
  return [
    ...findings.failures.map((f) => `FAIL  ${f}`),
    ...findings.warnings.map((w) => `WARN  ${w}`),
    ...findings.notes.map((n) => `ok    ${n}`),
  ].join('\n');
}
