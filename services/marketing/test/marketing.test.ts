// marketing alone: the Customer.marketing tab, filtered by channel, on real Postgres.
import { DEMO_CUSTOMERS } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { marketingSubgraph } from '../src';

const ws: Identity = { workspaceId: 'mkt-ws', userId: 'u1', role: 'editor' };
const MARKETING = `query($id: ID!, $channel: MarketingChannel, $first: Int) {
  _entities(representations: [{ __typename: "Customer", id: $id }]) {
    ... on Customer { marketing(first: $first, channel: $channel) {
      edges { node { channel campaignName status failureReason sentAt } }
      pageInfo { hasNextPage } } }
  }
}`;

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(marketingSubgraph, { demoWorkspaceId: ws.workspaceId });
});
afterAll(() => subgraph?.stop());

it('lists every channel newest first, or only the one asked for', async () => {
  const id = DEMO_CUSTOMERS[2].id;
  const all = await subgraph.query(ws, MARKETING, { id, first: 10 });
  const edges = all.data!._entities[0].marketing.edges.map((e: any) => e.node);
  expect(edges.map((n: any) => n.channel)).toEqual(['SMS', 'ZALO_OA', 'ZNS']);
  expect(edges[0]).toMatchObject({ status: 'FAILED', failureReason: expect.any(String) });
  const sms = await subgraph.query(ws, MARKETING, { id, channel: 'SMS', first: 10 });
  expect(sms.data!._entities[0].marketing.edges.map((e: any) => e.node.channel)).toEqual(['SMS']);
});

it('answers first: 0 with an empty page that knows more follow', async () => {
  const body = await subgraph.query(ws, MARKETING, { id: DEMO_CUSTOMERS[0].id, first: 0 });
  expect(body.data!._entities[0].marketing).toEqual({ edges: [], pageInfo: { hasNextPage: true } });
});

it('refuses an unknown channel as a validation error', async () => {
  const body = await subgraph.query(ws, MARKETING, { id: DEMO_CUSTOMERS[0].id, channel: 'FAX' });
  expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

it('shows the demo messages’ timelines', async () => {
  const body = await subgraph.query(
    ws,
    `query($id: ID!) { _entities(representations: [{ __typename: "Customer", id: $id }]) {
      ... on Customer { marketing(first: 3) { edges { node { status timeline { status detail } } } } } } }`,
    { id: DEMO_CUSTOMERS[1].id },
  );
  const nodes = body.data!._entities[0].marketing.edges.map((e: any) => e.node);
  expect(nodes.map((n: any) => [n.status, n.timeline.map((t: any) => t.status)])).toEqual([
    ['FAILED', ['SENT', 'FAILED']],
    ['OPENED', ['SENT', 'DELIVERED', 'OPENED']],
    ['DELIVERED', ['SENT', 'DELIVERED']],
  ]);
});
