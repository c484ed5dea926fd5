// How the gateway calls a subgraph: over keep-alive HTTP, with the caller's verified
// identity in signed headers (see @customer-graph/runtime identity.ts). Nothing the
// client sent is forwarded: only the headers set here reach a subgraph, so a client
// cannot smuggle its own context headers through.
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { signIdentity } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';

export interface GatewayContext {
  identity: Identity;
}

/**
 * Node's fetch (undici) pools and keeps connections alive per origin, so each
 * subgraph is reached over a few warm sockets rather than a new one per request.
 * A subgraph that cannot be reached becomes an error naming it, on the fields it
 * owns; the rest of the query still resolves.
 */
function keepAliveFetch(serviceName: string): Fetcher {
  const fetcher = async (url: string, init?: RequestInit) => {
    try {
      return await fetch(url, init);
    } catch (error) {
      const cause = (error as Error).cause;
      throw new GraphQLError(`the ${serviceName} service is unavailable`, {
        extensions: {
          code: 'SUBGRAPH_UNAVAILABLE',
          serviceName,
          reason: cause ? String(cause) : (error as Error).message,
        },
      });
    }
  };
  return fetcher as unknown as Fetcher;
}

export function createSubgraphSource(serviceName: string, url: string, signingSecret: string) {
  return new RemoteGraphQLDataSource<GatewayContext>({
    url,
    fetcher: keepAliveFetch(serviceName),
    willSendRequest({ request, context }) {
      if (!context.identity) throw new Error('no identity in gateway context');
      for (const [name, value] of Object.entries(signIdentity(context.identity, signingSecret))) {
        request.http?.headers.set(name, value);
      }
    },
  });
}
