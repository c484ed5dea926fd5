// Our trust model, as a Hive Gateway plugin: the caller's JWT verified as our gateway
// verifies it (peer-auth.ts), and every subgraph call carrying the caller's identity
// signed for that one subgraph (signIdentity, as gateway/src/subgraph-source.ts does),
// so the subgraphs accept Hive's calls exactly as they accept ours. Nothing the client
// sent reaches a subgraph besides what Hive itself sends.
//
// Hive Gateway merges identical in-flight subgraph calls (its HTTP transport's
// `deduplicateInflightRequests`, on by default): the key is the URL, the body and the
// headers given in the execution request's `extensions.headers`. So the plugin puts
// the caller (workspace, user, role) there in `onSubgraphExecute` — calls of different
// callers never merge, which would hand one caller another's answer — and signs in
// `onFetch`, which runs inside the merged fetch, after the key is made: the signed
// context holds a time and a request id, which would make every key unique.
import type * as GraphQL from 'graphql';
import { REQUEST_ID_HEADER, signIdentity } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { peersRequire } from './hive.types';
import type { HivePlugin } from './hive.types';
import type { Authenticate } from './peer-auth';

/** Who calls, in the merge key only: replaced by the signed headers before sending. */
const CALLER_KEY_HEADER = 'x-cg-bench-caller';

interface TrustContext {
  identity?: Identity;
}

export function useSignedIdentity(authenticate: Authenticate, signingSecret: string): HivePlugin {
  // Hive's own copy of graphql (infra/dev/bench/peers): its errors are the ones it knows.
  const { GraphQLError } = peersRequire('graphql') as typeof GraphQL;
  return {
    async onContextBuilding({ context, extendContext }) {
      const { headers } = context.request;
      try {
        const identity = await authenticate(
          headers.get('authorization'),
          headers.get(REQUEST_ID_HEADER),
        );
        extendContext({ identity });
      } catch (error) {
        throw new GraphQLError((error as Error).message, {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      }
    },
    onSubgraphExecute({ executionRequest }) {
      const identity = (executionRequest.context as TrustContext | undefined)?.identity;
      if (!identity) throw new Error('no verified identity for a subgraph call');
      const extensions = (executionRequest.extensions ??= {});
      extensions.headers = {
        ...(extensions.headers as Record<string, string> | undefined),
        [CALLER_KEY_HEADER]: `${identity.workspaceId} ${identity.role} ${identity.userId}`,
      };
    },
    onFetch({ executionRequest, options, setOptions }) {
      const subgraph = executionRequest?.subgraphName;
      const identity = (executionRequest?.context as TrustContext | undefined)?.identity;
      // Fetches outside a request (none with a committed supergraph) carry no identity.
      if (!subgraph || !identity) return;
      const headers = { ...(options.headers as Record<string, string> | undefined) };
      delete headers[CALLER_KEY_HEADER];
      setOptions({
        ...options,
        headers: { ...headers, ...signIdentity(identity, signingSecret, subgraph) },
      });
    },
  };
}
