// How the gateway calls a subgraph: over keep-alive HTTP, with the caller's verified
// identity in signed headers (see @customer-graph/runtime identity.ts). Nothing the
// client sent is forwarded: only the headers set here reach a subgraph, so a client
// cannot smuggle its own context headers through.
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
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

/**
 * The gateway checks a query against the supergraph, but custom scalars (Date,
 * DateTime …) only in the subgraph that implements them. A literal such as
 * `birthday: { lt: 1990 }` is therefore refused by the subgraph with a 400: that is
 * the client's input error, and is passed on as one (BAD_USER_INPUT, with the
 * subgraph's message and field), not as a failed subgraph.
 */
class SignedSubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const json = response.headers.get('content-type')?.includes('application/json');
    if (response.status === 400 && json) {
      const body = (await response.clone().json()) as {
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      };
      const first = body.errors?.[0];
      const code = first?.extensions?.code;
      if (first && (code === 'GRAPHQL_VALIDATION_FAILED' || code === 'BAD_USER_INPUT')) {
        const { field } = first.extensions ?? {};
        return new GraphQLError(first.message, {
          extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) },
        });
      }
    }
    return super.errorFromResponse(response);
  }
}

export function createSubgraphSource(serviceName: string, url: string, signingSecret: string) {
  return new SignedSubgraphSource({
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
