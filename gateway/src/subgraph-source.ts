// How the gateway calls a subgraph: over keep-alive HTTP (http-fetch.ts), with the caller's verified
// identity in signed headers naming that subgraph (see @customer-graph/runtime
// identity.ts). Nothing the client sent is forwarded: only the headers set here reach
// a subgraph, so a client cannot smuggle its own context headers through.
//
// Each call has a deadline (longer for analysts, whose statements may run longer); a
// subgraph that does not answer in time, or cannot be reached, becomes an error on
// the fields it owns (SUBGRAPH_TIMEOUT, SUBGRAPH_UNAVAILABLE) naming it, and the rest
// of the page still resolves. What a subgraph answers with a non-2xx status is never
// passed on: its body may hold internal details.
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import type {
  GatewayGraphQLRequest,
  GatewayGraphQLResponse,
} from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { PublicErrorCode, REQUEST_ID_HEADER, signIdentity } from '@customer-graph/runtime';
import { DeadlineError, httpFetch, mutates } from './http-fetch';
import type { Answer } from './http-fetch';
import type { Identity, Logger } from '@customer-graph/runtime';
import type { GatewayMetrics } from './metrics';

export interface GatewayContext {
  identity: Identity;
}

/** Carries the call's deadline from process to the fetcher; never sent. */
const DEADLINE_HEADER = 'x-cg-gateway-deadline-ms';
/** Carries who the call is for (workspace, user, role) to the fetcher; never sent. */
const CALLER_HEADER = 'x-cg-gateway-caller';

export interface SubgraphSourceOptions {
  serviceName: string;
  url: string;
  signingSecret: string;
  timeoutMs: { screens: number; analysts: number };
  logger: Logger;
  /** Times each call and counts its failures (metrics.ts). */
  metrics?: Pick<GatewayMetrics, 'subgraphFetch'>;
}

function unavailable(serviceName: string, reason: string): GraphQLError {
  // `reason` helps in development; the public formatter drops it in production.
  return new GraphQLError(`the ${serviceName} service is unavailable`, {
    extensions: { code: PublicErrorCode.SUBGRAPH_UNAVAILABLE, serviceName, reason },
  });
}

/**
 * Calls over keep-alive HTTP (http-fetch.ts), each with its deadline.
 *
 * Identical reads in flight at once for the same caller are sent once: a second
 * request whose plan asks this subgraph the same document with the same variables, for
 * the same workspace, user and role, while the first call is still out, waits for the
 * first call's answer instead of sending its own (each caller parses the answer apart,
 * so nothing is shared once it arrives). Never across users or workspaces, never a
 * mutation, and nothing is kept after the answer. The subgraph then sees the first
 * request's id only.
 */
export function deadlineFetch(serviceName: string, url: string): Fetcher {
  const post = httpFetch(new URL(url).origin);
  const inFlight = new Map<string, Promise<Answer>>();
  const send = async (
    target: string,
    init: { headers: Record<string, string>; body?: string },
    timeoutMs: number,
  ) => {
    try {
      return await post(target, init, timeoutMs);
    } catch (error) {
      if (error instanceof DeadlineError) {
        throw new GraphQLError(`the ${serviceName} service did not answer within ${timeoutMs} ms`, {
          extensions: { code: PublicErrorCode.SUBGRAPH_TIMEOUT, serviceName },
        });
      }
      throw unavailable(serviceName, (error as Error).message);
    }
  };
  const fetcher = (target: string, init: { headers: Record<string, string>; body?: string }) => {
    const { [DEADLINE_HEADER]: deadline, [CALLER_HEADER]: caller, ...headers } = init.headers;
    const timeoutMs = Number(deadline);
    if (!(timeoutMs > 0)) throw new Error(`no deadline for a call to ${serviceName}`);
    if (!caller || init.body === undefined || mutates(init.body)) {
      return send(target, { ...init, headers }, timeoutMs);
    }
    const key = `${caller}\n${init.body}`;
    let call = inFlight.get(key);
    if (!call) {
      call = send(target, { ...init, headers }, timeoutMs).finally(() => inFlight.delete(key));
      inFlight.set(key, call);
    }
    return call;
  };
  return fetcher as unknown as Fetcher;
}

/**
 * RemoteGraphQLDataSource's process (@apollo/gateway 2.14), for the one way this gateway
 * calls: no APQ, no didReceiveResponse. The library builds a node-fetch Headers (every
 * name and value checked) and, in sendRequest, a node-fetch Request for every call, only
 * to hand them to hooks this class does not use: a tenth of the gateway's own CPU per
 * subgraph call (bench:page). Here the headers are a plain object: the signed identity
 * (signed once per call, as before), the deadline and the caller for the fetcher, and the
 * content type. The rest is the library's: the fetcher, errorFromResponse on a non-2xx,
 * parseBody, an object required, `http` set to the response, and respond (the subgraph's
 * cache-control header restricting the request's cache policy).
 */
type Respond = (args: {
  response: GatewayGraphQLResponse;
  request: GatewayGraphQLRequest;
  context: GatewayContext;
  overallCachePolicy: unknown;
  pathInIncomingRequest: unknown;
}) => Promise<GatewayGraphQLResponse>;

/** GraphQLDataSourceRequestKind.INCOMING_OPERATION (the enum is not exported). */
const INCOMING_OPERATION = 'incoming operation';
type Incoming = Extract<
  GraphQLDataSourceProcessOptions<GatewayContext>,
  { incomingRequestContext: unknown }
>;

class SignedSubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly options: SubgraphSourceOptions,
    config: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0],
  ) {
    super(config);
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const context = options.context as GatewayContext;
    const incoming =
      (options.kind as string) === INCOMING_OPERATION ? (options as Incoming) : undefined;
    if (!context.identity) throw new Error('no identity in gateway context');
    if (!request.query) throw new Error('Missing query');
    const { serviceName, signingSecret, timeoutMs } = this.options;
    const { workspaceId, userId, role } = context.identity;
    const headers: Record<string, string> = {};
    // Only what the gateway itself sets (a trace request, when traces are on).
    for (const [name, value] of request.http?.headers ?? []) headers[name.toLowerCase()] = value;
    headers['content-type'] = 'application/json';
    Object.assign(headers, signIdentity(context.identity, signingSecret, serviceName));
    // The id the context signs, also where the subgraph's HTTP layer looks first (it
    // would make one of its own otherwise, to be replaced by the signed one).
    if (context.identity.requestId) headers[REQUEST_ID_HEADER] = context.identity.requestId;
    headers[DEADLINE_HEADER] = String(role === 'analyst' ? timeoutMs.analysts : timeoutMs.screens);
    headers[CALLER_HEADER] = JSON.stringify([workspaceId, userId, role]);
    // The query first (http-fetch's mutates reads it there); `http` is not sent.
    const body = JSON.stringify({ query: request.query, ...request, http: undefined });
    const done = this.options.metrics?.subgraphFetch(serviceName);
    let answer: unknown;
    let response: FetcherResponse;
    try {
      response = await this.fetcher(this.url, { method: 'POST', headers, body });
      if (!response.ok) throw await this.errorFromResponse(response);
      answer = await this.parseBody(response);
      done?.();
    } catch (error) {
      const code = (error as GraphQLError).extensions?.code;
      done?.(typeof code === 'string' ? code : 'ERROR');
      throw error;
    }
    if (typeof answer !== 'object' || answer === null) {
      throw new Error(`Expected JSON response body, but received: ${String(answer)}`);
    }
    const overallCachePolicy = incoming?.incomingRequestContext.overallCachePolicy;
    return (this as unknown as { respond: Respond }).respond({
      response: { ...answer, http: response } as GatewayGraphQLResponse,
      request,
      context,
      overallCachePolicy:
        this.honorSubgraphCacheControlHeader &&
        overallCachePolicy &&
        'restrict' in overallCachePolicy
          ? overallCachePolicy
          : null,
      pathInIncomingRequest: incoming?.pathInIncomingRequest,
    });
  }

  /**
   * The gateway checks a query against the supergraph, but custom scalars (Date,
   * DateTime …) only in the subgraph that implements them. A literal such as
   * `birthday: { lt: 1990 }` is therefore refused by the subgraph with a 400: that is
   * the client's input error, and is passed on as one (BAD_USER_INPUT, with the
   * subgraph's message and field), not as a failed subgraph. Any other non-2xx answer
   * (a 401 from a misconfigured secret, a proxy's 502 page) is logged here and
   * reported as the subgraph being unavailable, without its body.
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const { serviceName, logger } = this.options;
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
          extensions: { code: PublicErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) },
        });
      }
    }
    const text = (await response.text()).slice(0, 500);
    logger.warn('subgraph answered with an error status', {
      serviceName,
      status: response.status,
      body: text,
    });
    return unavailable(serviceName, `HTTP ${response.status}`);
  }
}

export function createSubgraphSource(options: SubgraphSourceOptions) {
  const { serviceName, url } = options;
  return new SignedSubgraphSource(options, { url, fetcher: deadlineFetch(serviceName, url) });
}
