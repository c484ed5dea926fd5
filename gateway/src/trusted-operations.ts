// Trusted operations (persisted queries, "trusted documents"). The documents the
// screens and the analysts' saved reports send are registered under
// schema/operations/<client>/, each client folder with its manifest,
// persisted-query-manifest.json, in Apollo's persisted query manifest format
// (`npm run operations:manifest` writes it; infra/dev/src/schema-check/operations.ts):
//
//   { "format": "apollo-persisted-query-manifest", "version": 1,
//     "operations": [{ "id": "<sha256 hex of body>", "name", "type", "body" }] }
//
// A client runs a registered operation by its id, either convention:
//   - Apollo APQ:        { "extensions": { "persistedQuery": { "version": 1, "sha256Hash": "<id>" } }, "variables": … }
//   - trusted documents: { "documentId": "sha256:<id>", "variables": … }  (POST body or GET parameter)
// The gateway then runs the registered body; an unknown id is PERSISTED_QUERY_NOT_FOUND
// naming the hash (for any client: the registry is always read).
//
// Who the client is: the role in the verified token, never a header. admin, editor
// and staff are the `frontend` client (the screens); analyst is `analyst`; platform
// (our operators' tools, reading no customer) is `platform`. The
// `apollographql-client-name` header is a label a caller chooses and may lie in, so
// it decides nothing here: an admin token naming itself "analyst" is still the
// frontend, and an analyst token naming itself "frontend" is still held to the
// analyst's cost budget. Registered or not, every operation is measured against the
// role's budget (query-limits.ts): registration says what may run, not how much.
//
// With TRUSTED_OPERATIONS on (config.ts), the frontend client runs registered
// operations only: by id, or as the registered body itself (sha256 of the text sent);
// any other document is OPERATION_NOT_TRUSTED naming its hash, before it is parsed.
// Analysts and platform keep sending their own documents within their budgets.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { ApolloServerPlugin, GraphQLRequest } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { PublicErrorCode, findRepoFile } from '@customer-graph/runtime';
import type { Role } from '@customer-graph/runtime';
import type { GatewayContext } from './subgraph-source';

export const MANIFEST_FILE = 'persisted-query-manifest.json';

/** The client a token speaks for, by its role. */
export const CLIENT_OF_ROLE: Record<Role, string> = {
  admin: 'frontend',
  editor: 'frontend',
  staff: 'frontend',
  analyst: 'analyst',
  platform: 'platform',
};

/** The client that, in trusted mode, runs registered operations only. */
export const REGISTERED_ONLY = 'frontend';

export interface TrustedOperationsConfig {
  /** TRUSTED_OPERATIONS: the frontend client runs registered operations only. */
  enforce: boolean;
  /** TRUSTED_OPERATIONS_PATH: the folder of the client folders (schema/operations). */
  path: string;
}

/** Client → registered id → body. */
export type Registry = ReadonlyMap<string, ReadonlyMap<string, string>>;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Reads every client folder's manifest under `dir`; a manifest not as written is refused. */
export function readRegistry(dir: string): Registry {
  const registry = new Map<string, Map<string, string>>();
  if (!existsSync(dir)) return registry;
  for (const client of readdirSync(dir).sort()) {
    const file = path.join(dir, client, MANIFEST_FILE);
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
      format?: unknown;
      operations?: { id?: unknown; body?: unknown }[];
    };
    if (manifest.format !== 'apollo-persisted-query-manifest' || !manifest.operations) {
      throw new Error(`${file} is not an apollo-persisted-query-manifest`);
    }
    const operations = new Map<string, string>();
    for (const { id, body } of manifest.operations) {
      // A hand-edited body would run under an id that no longer names it.
      if (typeof body !== 'string' || id !== sha256(body)) {
        throw new Error(`${file}: operation ${String(id)} is not the sha256 of its body`);
      }
      operations.set(id, body);
    }
    registry.set(client, operations);
  }
  return registry;
}

/** What a request carries that says which document to run. */
export interface Incoming {
  query?: string;
  /** The id it names, lowercase hex. */
  hash?: string;
  /** How it named it: Apollo's APQ extension or a trusted-documents documentId. */
  form?: 'apq' | 'documentId';
}

export type Decision =
  /** Left to Apollo as it came (a document, or an APQ hash for Apollo's own cache). */
  | { kind: 'as-sent' }
  /** Run this registered body. */
  | { kind: 'registered'; body: string }
  | { kind: 'refused'; error: GraphQLError };

function refused(code: PublicErrorCode, message: string, hash: string): Decision {
  // The status goes out with the error (Apollo strips extensions.http).
  return {
    kind: 'refused',
    error: new GraphQLError(message, { extensions: { code, hash, http: { status: 400 } } }),
  };
}

export function decide(
  incoming: Incoming,
  client: string,
  registry: Registry,
  enforce: boolean,
): Decision {
  const registered = registry.get(client);
  const registeredOnly = enforce && client === REGISTERED_ONLY;
  if (incoming.hash !== undefined && incoming.query === undefined) {
    const body = registered?.get(incoming.hash);
    if (body !== undefined) return { kind: 'registered', body };
    // Apollo answers an unknown APQ hash from its own cache of documents sent
    // before; a documentId it does not know of, and a registered-only client may not
    // use that cache.
    if (!registeredOnly && incoming.form === 'apq') return { kind: 'as-sent' };
    return refused(
      PublicErrorCode.PERSISTED_QUERY_NOT_FOUND,
      `no operation registered for the ${client} client has the hash ${incoming.hash}`,
      incoming.hash,
    );
  }
  if (!registeredOnly || incoming.query === undefined) return { kind: 'as-sent' };
  const hash = sha256(incoming.query);
  const body = registered?.get(hash);
  if (body !== undefined) return { kind: 'registered', body };
  return refused(
    PublicErrorCode.OPERATION_NOT_TRUSTED,
    `the ${client} client runs registered operations only (send its hash); this document, sha256 ${hash}, is not registered`,
    hash,
  );
}

const ID = /^(?:sha256:)?([0-9a-fA-F]{64})$/;

/** The id a request names, from Apollo's extension or a documentId (body or query string). */
export function readIncoming(request: GraphQLRequest): Incoming {
  const incoming: Incoming = { query: request.query };
  const persisted = request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
  if (typeof persisted?.sha256Hash === 'string') {
    incoming.hash = persisted.sha256Hash.toLowerCase();
    incoming.form = 'apq';
  }
  const http = request.http;
  const documentId =
    http?.method === 'GET'
      ? new URLSearchParams(http.search).get('documentId')
      : (http?.body as { documentId?: unknown } | undefined)?.documentId;
  if (typeof documentId === 'string') {
    incoming.hash = ID.exec(documentId)?.[1].toLowerCase() ?? documentId;
    incoming.form = 'documentId';
  }
  return incoming;
}

/**
 * What stands in for a refused document. Apollo answers an error thrown before an
 * operation is resolved as a 500, so the refusal is thrown from didResolveOperation,
 * the first hook whose error is the request's answer; meanwhile Apollo parses this
 * instead of the refused text (nothing of which is parsed or reaches a subgraph).
 */
const REFUSED_DOCUMENT = '{ __typename }';

export function trustedOperationsPlugin(
  config: TrustedOperationsConfig,
): ApolloServerPlugin<GatewayContext> {
  const dir = path.isAbsolute(config.path) ? config.path : findRepoFile(config.path);
  const registry = readRegistry(dir);
  if (config.enforce && !registry.get(REGISTERED_ONLY)?.size) {
    throw new Error(
      `TRUSTED_OPERATIONS is on, but ${path.join(dir, REGISTERED_ONLY, MANIFEST_FILE)} registers no operation`,
    );
  }
  return {
    async requestDidStart({ request, contextValue }) {
      const client = CLIENT_OF_ROLE[contextValue.identity.role];
      const decision = decide(readIncoming(request), client, registry, config.enforce);
      if (decision.kind === 'as-sent') return;
      // Apollo's own APQ handling must not see the id of a document decided here.
      if (request.extensions?.persistedQuery) {
        const extensions = { ...request.extensions };
        delete extensions.persistedQuery;
        request.extensions = extensions;
      }
      if (decision.kind === 'registered') {
        request.query = decision.body;
        return;
      }
      request.query = REFUSED_DOCUMENT;
      return {
        async didResolveOperation() {
          throw decision.error;
        },
      };
    },
  };
}
