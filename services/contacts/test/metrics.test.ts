// A subgraph's GET /metrics in Prometheus's text format (runtime metrics.ts), as a
// scraper reads it: requests and their time by operation, errors by code, the pools,
// the events' figures; and the events' figures as JSON for a caller asking for JSON.
import type { Identity } from '@customer-graph/runtime';
import { metricSample as sample, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';

const admin: Identity = { workspaceId: 'metrics-ws', userId: 'admin', role: 'admin' };

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
});
afterAll(() => subgraph?.stop());

const metricsUrl = () => subgraph.url.replace('/graphql', '/metrics');

it('counts requests by operation and outcome, errors by code, and reads pools and events when scraped', async () => {
  for (let i = 0; i < 3; i++) {
    const ok = await subgraph.query(admin, 'query ListPage { customers(first: 1) { totalCount } }');
    expect(ok.errors).toBeUndefined();
  }
  const refused = await subgraph.query(
    admin,
    'mutation BadCreate { createCustomer(input: { name: "A", email: "not an email" }) { id } }',
  );
  expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

  const res = await fetch(metricsUrl());
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = await res.text();
  expect(
    sample(text, 'cg_subgraph_requests_total', {
      operation: 'ListPage',
      outcome: 'ok',
      service: 'contacts',
    }),
  ).toBe(3);
  expect(
    sample(text, 'cg_subgraph_requests_total', {
      operation: 'BadCreate',
      outcome: 'errors',
      service: 'contacts',
    }),
  ).toBe(1);
  expect(
    sample(text, 'cg_subgraph_request_duration_seconds_count', {
      operation: 'ListPage',
      service: 'contacts',
    }),
  ).toBe(3);
  expect(
    sample(text, 'cg_subgraph_errors_total', { code: 'BAD_USER_INPUT', service: 'contacts' }),
  ).toBe(1);
  expect(
    sample(text, 'cg_db_pool_connections', {
      pool: 'screens',
      state: 'total',
      service: 'contacts',
    }),
  ).toBeGreaterThan(0);
  expect(sample(text, 'cg_outbox_backlog', { service: 'contacts' })).toBeGreaterThanOrEqual(0);
  expect(sample(text, 'cg_dead_letters', { service: 'contacts' })).toBe(0);
  expect(text).toMatch(/^nodejs_eventloop_lag_seconds\{service="contacts"\} /m);

  const json = (await (
    await fetch(metricsUrl(), { headers: { accept: 'application/json' } })
  ).json()) as { service: string; events: { outboxBacklog: number } };
  expect(json.service).toBe('contacts');
  expect(typeof json.events.outboxBacklog).toBe('number');
});
