// The gateway's Prometheus metrics (prom-client), served on their own port
// (GATEWAY_METRICS_PORT; the public port never answers them):
//   cg_gateway_requests_total / _request_duration_seconds   by operation, client, outcome
//   cg_gateway_errors_total                                  by code: limit refusals
//       (TOO_MANY_REQUESTS, QUERY_TOO_COMPLEX …), bad input, subgraph failures
//   cg_gateway_subgraph_fetch_duration_seconds               by subgraph
//   cg_gateway_subgraph_fetch_errors_total                   by subgraph and code
// plus Node's process metrics. The client is the token's (trusted-operations.ts: by role,
// never by a header a caller sets).
import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DURATION_BUCKETS, listen, operationLabel } from '@customer-graph/runtime';
import { CLIENT_OF_ROLE } from './trusted-operations';
import type { GatewayContext } from './subgraph-source';

export interface GatewayMetrics {
  registry: Registry;
  /** Times each request; counts it and the codes of its errors. */
  plugin: ApolloServerPlugin<GatewayContext>;
  /** Starts timing one subgraph call; call the result with its outcome's code (or none). */
  subgraphFetch(subgraph: string): (failure?: string) => void;
}

export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'gateway' });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'cg_gateway_requests_total',
    help: 'GraphQL requests answered, by operation, client and outcome (ok, or errors in the answer)',
    labelNames: ['operation', 'client', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'cg_gateway_request_duration_seconds',
    help: 'Time to answer a GraphQL request, by operation and client',
    labelNames: ['operation', 'client'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'cg_gateway_errors_total',
    help: 'Errors in answers by code: limit refusals, bad input, subgraph failures, internal errors',
    labelNames: ['code'],
    registers: [registry],
  });
  const fetchDuration = new Histogram({
    name: 'cg_gateway_subgraph_fetch_duration_seconds',
    help: 'Time of one call to a subgraph, answer parsed',
    labelNames: ['subgraph'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const fetchErrors = new Counter({
    name: 'cg_gateway_subgraph_fetch_errors_total',
    help: 'Calls to a subgraph that failed (timeout, unavailable, an error status), by code',
    labelNames: ['subgraph', 'code'],
    registers: [registry],
  });
  return {
    registry,
    plugin: {
      async requestDidStart({ contextValue }) {
        const role = contextValue.identity?.role;
        const client = (role && CLIENT_OF_ROLE[role]) ?? 'unknown';
        const started = process.hrtime.bigint();
        return {
          async willSendResponse({ operationName, response }) {
            const operation = operationLabel(operationName);
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            duration.observe({ operation, client }, seconds);
            const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
            for (const error of body?.errors ?? []) {
              const code = error.extensions?.code;
              errors.inc({ code: typeof code === 'string' ? code : 'UNKNOWN' });
            }
            const outcome = body?.errors?.length ? 'errors' : 'ok';
            requests.inc({ operation, client, outcome });
          },
        };
      },
    },
    subgraphFetch(subgraph) {
      const end = fetchDuration.startTimer({ subgraph });
      return (failure) => {
        end();
        if (failure !== undefined) fetchErrors.inc({ subgraph, code: failure });
      };
    },
  };
}

/** Serves GET /metrics (and nothing else) on its own port (the runtime's listen). */
export async function serveMetrics(
  metrics: GatewayMetrics,
  port: number,
  host: string,
): Promise<{ port: number; url: string; close(): Promise<void> }> {
  const server = await listen(
    (req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    },
    port,
    host,
  );
  return {
    port: server.port,
    url: `http://${host}:${server.port}/metrics`,
    close: () => server.close(),
  };
}
