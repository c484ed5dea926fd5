// The trusted operations: schema/operations/<client>/*.graphql hold the documents a
// client sends — `frontend` the screens, `analyst` the analysts' saved reports. Each
// operation of a file, with the fragments it spreads, is registered in its client
// folder's manifest, `persisted-query-manifest.json`, in Apollo's persisted query
// manifest format (what Apollo Client's persisted-query link and GraphOS read):
//
//   { "format": "apollo-persisted-query-manifest", "version": 1,
//     "operations": [{ "id": "<sha256 hex>", "name": "CustomerListPage",
//                      "type": "query", "body": "query CustomerListPage(…) {…}" }] }
//
// `body` is the document exactly as the client sends it: graphql-js's `print` of the
// operation followed by the fragments it uses, in the file's order (the file's
// comments and layout are not part of it). `id` is the lowercase hex SHA-256 of
// body's UTF-8 bytes: the hash a client sends as Apollo APQ's
// `extensions.persistedQuery.sha256Hash`, or as `documentId: "sha256:<id>"` (GraphQL
// trusted documents). `npm run operations:manifest` writes the manifests; a test and
// `npm run schema:check` fail while one is stale. The gateway reads them
// (gateway/src/trusted-operations.ts).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, visit } from 'graphql';
import type {
  DefinitionNode,
  DocumentNode,
  FragmentDefinitionNode,
  OperationDefinitionNode,
} from 'graphql';
import { repoRoot } from '@customer-graph/runtime';

export const OPERATIONS_DIR = 'schema/operations';
export const MANIFEST_FILE = 'persisted-query-manifest.json';

/** One .graphql file of the registry. */
export interface OperationFile {
  /** The folder under schema/operations/: who sends it. */
  client: string;
  /** Its path from the repository root, as reports name it. */
  file: string;
  text: string;
}

/** One operation of a file, as registered. */
export interface RegisteredOperation {
  client: string;
  file: string;
  name: string;
  type: OperationDefinitionNode['operation'];
  body: string;
  id: string;
  /** The parsed body (the operation and its fragments). */
  document: DocumentNode;
}

export interface Manifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; name: string; type: string; body: string }[];
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function operationsDir(root: string = repoRoot()): string {
  return path.join(root, OPERATIONS_DIR);
}

/** Builds an OperationFile from its path from the repository root. */
export function operationFile(file: string, text: string): OperationFile {
  const parts = path.posix.relative(OPERATIONS_DIR, file).split('/');
  if (parts.length < 2 || parts[0] === '..') {
    throw new Error(`${file}: an operation lives in ${OPERATIONS_DIR}/<client>/`);
  }
  return { client: parts[0], file, text };
}

/** Every .graphql file under `root`'s schema/operations/, in path order. */
export function readOperationFiles(root: string = repoRoot()): OperationFile[] {
  const dir = operationsDir(root);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) =>
      operationFile(
        path.posix.join(OPERATIONS_DIR, f.split(path.sep).join('/')),
        readFileSync(path.join(dir, f), 'utf8'),
      ),
    );
}

/** The fragments `definition` spreads, directly or through other fragments. */
function fragmentsUsed(
  definition: DefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  file: string,
  seen = new Set<string>(),
): Set<string> {
  visit(definition, {
    FragmentSpread(node) {
      const name = node.name.value;
      if (seen.has(name)) return;
      const fragment = fragments.get(name);
      if (!fragment) throw new Error(`${file}: fragment ${name} is not defined in the file`);
      seen.add(name);
      fragmentsUsed(fragment, fragments, file, seen);
    },
  });
  return seen;
}

/** The operations of one file, each with its fragments, printed and hashed. */
export function operationsOf(source: OperationFile): RegisteredOperation[] {
  let document: DocumentNode;
  try {
    document = parse(source.text, { noLocation: true });
  } catch (error) {
    throw new Error(`${source.file}: ${(error as Error).message}`);
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  }
  const operations: RegisteredOperation[] = [];
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    if (!d.name) throw new Error(`${source.file}: every registered operation needs a name`);
    const used = fragmentsUsed(d, fragments, source.file);
    const own: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [
        d,
        ...document.definitions.filter(
          (f) => f.kind === Kind.FRAGMENT_DEFINITION && used.has(f.name.value),
        ),
      ],
    };
    const body = print(own);
    operations.push({
      client: source.client,
      file: source.file,
      name: d.name.value,
      type: d.operation,
      body,
      id: sha256Hex(body),
      document: own,
    });
  }
  if (operations.length === 0) throw new Error(`${source.file}: holds no operation`);
  return operations;
}

/** Every operation of `files`; a name used twice by one client is refused. */
export function registeredOperations(files: OperationFile[]): RegisteredOperation[] {
  const operations = files.flatMap(operationsOf);
  const byName = new Map<string, RegisteredOperation>();
  for (const op of operations) {
    const key = `${op.client}/${op.name}`;
    const earlier = byName.get(key);
    if (earlier) {
      throw new Error(
        `operation ${op.name} is defined twice for ${op.client}: ${earlier.file} and ${op.file}`,
      );
    }
    byName.set(key, op);
  }
  return operations;
}

/** Each client's manifest as the text to commit (sorted by operation name). */
export function manifestTexts(operations: RegisteredOperation[]): Map<string, string> {
  const clients = [...new Set(operations.map((o) => o.client))].sort();
  return new Map(
    clients.map((client) => {
      const manifest: Manifest = {
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: operations
          .filter((o) => o.client === client)
          .sort((a, b) => a.name.localeCompare(b.name))
          .map(({ id, name, type, body }) => ({ id, name, type, body })),
      };
      return [
        path.posix.join(OPERATIONS_DIR, client, MANIFEST_FILE),
        `${JSON.stringify(manifest, null, 2)}\n`,
      ];
    }),
  );
}

/**
 * The manifests under `root` that differ from what the operations make of them, and
 * manifests of clients that have no operation any more; empty when all are current.
 */
export function staleManifests(root: string = repoRoot()): string[] {
  const expected = manifestTexts(registeredOperations(readOperationFiles(root)));
  const stale: string[] = [];
  for (const [file, text] of expected) {
    const full = path.join(root, file);
    if (!existsSync(full) || readFileSync(full, 'utf8') !== text) stale.push(file);
  }
  const dir = operationsDir(root);
  if (existsSync(dir)) {
    for (const client of readdirSync(dir)) {
      const file = path.posix.join(OPERATIONS_DIR, client, MANIFEST_FILE);
      if (!expected.has(file) && existsSync(path.join(root, file))) stale.push(file);
    }
  }
  return stale;
}
