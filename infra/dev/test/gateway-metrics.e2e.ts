// The gateway's Prometheus metrics (gateway/src/metrics.ts), on their own port: requests
// and their time by operation and client (the token's), refusals by code, each subgraph
// call's time; and nothing of them on the public port.
import { createLogger } from '@customer-graph/runtime';
import { loadGatewayConfig, startGateway } from '@customer-graph/gateway';
import type { RunningGateway } from '@customer-graph/gateway';
import { metricSample as sample } from '@customer-graph/runtime/testing';
import { startTestStack } from './stack';
import type { TestStack } from './stack';

const ws = 'gateway-metrics';
let stack: TestStack;
let gateway: RunningGateway;

beforeAll(async () => {
  stack = await startTestStack();
  gateway = await startGateway(
    loadGatewayConfig({ ...stack.gatewayEnv, GATEWAY_METRICS_PORT: '0' }),
    createLogger('error'),
  );
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await stack?.stop();
});

async function post(token: string, query: string) {
  const res = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
}

it('counts requests by operation and client, refusals by code, and times subgraph calls', async () => {
  const admin = await stack.token({ workspaceId: ws, userId: 'a', role: 'admin' });
  const analyst = await stack.token({ workspaceId: ws, userId: 'b', role: 'analyst' });
  for (let i = 0; i < 2; i++) {
    expect(
      (await post(admin, 'query ListPage { customers(first: 5) { totalCount } }')).errors,
    ).toBeUndefined();
  }
  expect(
    (await post(analyst, 'query Report { customers(first: 1) { totalCount } }')).errors,
  ).toBeUndefined();
  const refused = await post(
    admin,
    'query Huge { customers(first: 500) { edges { node { orders(first: 100) { edges { node { id } } } } } } }',
  );
  const code = refused.errors?.[0].extensions?.code;
  expect(code).toMatch(/^QUERY_TOO_/);

  expect(gateway.metricsUrl).toBeDefined();
  const text = await (await fetch(gateway.metricsUrl!)).text();
  expect(
    sample(text, 'cg_gateway_requests_total', {
      operation: 'ListPage',
      client: 'frontend',
      outcome: 'ok',
    }),
  ).toBe(2);
  expect(
    sample(text, 'cg_gateway_requests_total', {
      operation: 'Report',
      client: 'analyst',
      outcome: 'ok',
    }),
  ).toBe(1);
  expect(
    sample(text, 'cg_gateway_requests_total', {
      operation: 'Huge',
      client: 'frontend',
      outcome: 'errors',
    }),
  ).toBe(1);
  expect(
    sample(text, 'cg_gateway_request_duration_seconds_count', {
      operation: 'ListPage',
      client: 'frontend',
    }),
  ).toBe(2);
  expect(sample(text, 'cg_gateway_errors_total', { code: code! })).toBe(1);
  expect(
    sample(text, 'cg_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'contacts' }),
  ).toBe(3);
  // Not on the public port.
  const open = await fetch(gateway.url.replace('/graphql', '/metrics'));
  expect(open.status).toBe(404);
});
