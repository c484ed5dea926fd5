// How the gateway calls a subgraph: over keep-alive HTTP, with the caller's verified
// identity in signed headers (see @customer-graph/runtime identity.ts). Nothing the
// client sent is forwarded: only the headers set here reach a subgraph, so a client
// cannot smuggle its own context headers through.
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { signIdentity } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';

export interface GatewayContext {
  identity: Identity;
}

// Node's fetch (undici) pools and keeps connections alive per origin, so each
// subgraph is reached over a few warm sockets rather than a new one per request.
const keepAliveFetch = ((url: string, init?: RequestInit) =>
  fetch(url, init)) as unknown as Fetcher;

export function createSubgraphSource(url: string, signingSecret: string) {
  return new RemoteGraphQLDataSource<GatewayContext>({
    url,
    fetcher: keepAliveFetch,
    willSendRequest({ request, context }) {
      if (!context.identity) throw new Error('no identity in gateway context');
      for (const [name, value] of Object.entries(signIdentity(context.identity, signingSecret))) {
        request.http?.headers.set(name, value);
      }
    },
  });
}
