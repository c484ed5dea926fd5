// marketing.vouchers.requested answered by orders.vouchers.issued: one code per
// customer of the batch with the note naming the campaign (shown in the voucher tab),
// the campaign's limits applied customer by customer (refused ones get a reason), an
// ended campaign and another workspace's refused, and a second request for a batch
// re-publishes the same codes without issuing again.
import { randomUUID } from 'node:crypto';
import { VOUCHERS_REQUESTED, createEvent } from '@customer-graph/runtime';
import type { Identity, VouchersIssuedPayload } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { ordersLoyaltySubgraph } from '../src';
import { vouchersModule } from '../src/vouchers/vouchers.module';

const ws = `vreq-${randomUUID().slice(0, 8)}`;
const other = `vreq-other-${randomUUID().slice(0, 8)}`;
const editor: Identity = { workspaceId: ws, userId: 'e1', role: 'editor' };
const otherEditor: Identity = { workspaceId: other, userId: 'o1', role: 'editor' };
const DAY = 86_400_000;
const customers = Array.from({ length: 6 }, () => randomUUID());

const CREATE = `mutation($i: VoucherCampaignInput!) { createVoucherCampaign(input: $i) { id } }`;
const TAB = `query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Customer { id vouchers { edges { node { code note } } } } } }`;

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(ordersLoyaltySubgraph);
  await subgraph.db.query(
    `INSERT INTO customer_access (workspace_id, customer_id, assigned_staff, deleted, occurred_at)
     SELECT $1, id, NULL, false, now() FROM unnest($2::uuid[]) AS id`,
    [ws, customers],
  );
});
afterAll(() => subgraph?.stop());

async function campaign(who: Identity, over: object = {}): Promise<string> {
  const body = await subgraph.query(who, CREATE, {
    i: {
      name: 'Hè',
      valueType: 'PERCENT',
      value: 10,
      minimumOrder: 0,
      validFrom: new Date(Date.now() - DAY).toISOString(),
      validTo: new Date(Date.now() + 30 * DAY).toISOString(),
      ...over,
    },
  });
  expect(body.errors).toBeUndefined();
  return body.data!.createVoucherCampaign.id;
}

/** Requests codes for a batch and returns every answer published for it, in order. */
async function request(
  campaignId: string,
  voucherCampaignId: string,
  batch: number,
  customerIds: string[],
  workspaceId = ws,
): Promise<VouchersIssuedPayload[]> {
  await applyEvents(
    subgraph.db,
    vouchersModule,
    createEvent({
      type: VOUCHERS_REQUESTED,
      workspaceId,
      key: campaignId,
      payload: { campaignId, voucherCampaignId, batch, customerIds },
    }),
  );
  const rows: { key: string; value: { payload: VouchersIssuedPayload } }[] =
    await subgraph.db.query(
      `SELECT key, value FROM outbox WHERE topic = 'orders.vouchers.issued'
          AND value->'payload'->>'campaignId' = $1 AND (value->'payload'->>'batch')::int = $2
        ORDER BY seq`,
      [campaignId, batch],
    );
  rows.forEach((r) => expect(r.key).toBe(campaignId));
  return rows.map((r) => r.value.payload);
}

const codesOf = async (workspaceId: string, voucherCampaignId: string) =>
  subgraph.db.query(
    `SELECT customer_id AS "customerId", code, note FROM voucher
      WHERE workspace_id = $1 AND campaign_id = $2 ORDER BY issued_at, code`,
    [workspaceId, voucherCampaignId],
  );

it('issues one code per customer with the campaign’s note, shown in the voucher tab', async () => {
  const vc = await campaign(editor);
  const campaignId = randomUUID();
  const [answer] = await request(campaignId, vc, 1, customers.slice(0, 3));
  expect(answer.refused).toEqual([]);
  expect(answer.codes.map((c) => c.customerId)).toEqual(customers.slice(0, 3));
  const rows = await codesOf(ws, vc);
  expect(rows).toHaveLength(3);
  for (const row of rows) expect(row.note).toBe(`Chiến dịch ${campaignId}`);
  expect(new Set(rows.map((r: { code: string }) => r.code))).toEqual(
    new Set(answer.codes.map((c) => c.code)),
  );
  const body = await subgraph.query(editor, TAB, {
    r: [{ __typename: 'Customer', id: customers[0] }],
  });
  expect(body.errors).toBeUndefined();
  expect(body.data!._entities[0].vouchers.edges).toEqual([
    { node: { code: answer.codes[0].code, note: `Chiến dịch ${campaignId}` } },
  ]);
});

it('re-publishes the same codes for a redelivered batch and issues nothing more', async () => {
  const vc = await campaign(editor);
  const campaignId = randomUUID();
  const [first] = await request(campaignId, vc, 7, customers.slice(0, 4));
  const answers = await request(campaignId, vc, 7, customers.slice(0, 4));
  expect(answers).toEqual([first, first]);
  expect(await codesOf(ws, vc)).toHaveLength(4);
  const [{ issued }] = await subgraph.db.query(
    'SELECT issued_count AS issued FROM voucher_campaign WHERE id = $1',
    [vc],
  );
  expect(issued).toBe(4);
  // Another batch of the same campaign is a new answer.
  const [second] = await request(campaignId, vc, 8, customers.slice(4, 6));
  expect(second.codes).toHaveLength(2);
});

it('honours the limits customer by customer, each refused with its reason', async () => {
  const vc = await campaign(editor, { limitPerCustomer: 1, limitTotal: 4 });
  const [a] = await request(randomUUID(), vc, 1, customers.slice(0, 2));
  expect(a.codes.map((c) => c.customerId)).toEqual(customers.slice(0, 2));
  // customers 0 and 1 hold one each (the limit); 2 and 3 fill the total; 4 is past it.
  const [b] = await request(randomUUID(), vc, 1, customers.slice(0, 5));
  expect(b.codes.map((c) => c.customerId)).toEqual(customers.slice(2, 4));
  expect(b.refused).toEqual([
    { customerId: customers[0], reason: 'LIMIT_PER_CUSTOMER' },
    { customerId: customers[1], reason: 'LIMIT_PER_CUSTOMER' },
    { customerId: customers[4], reason: 'LIMIT_TOTAL' },
  ]);
  expect(await codesOf(ws, vc)).toHaveLength(4);
});

it('refuses everyone for an ended campaign, and for another workspace’s (UNKNOWN_CAMPAIGN)', async () => {
  const ended = await campaign(editor);
  const end = await subgraph.query(
    editor,
    `mutation($id: ID!) { endVoucherCampaign(id: $id) { id } }`,
    { id: ended },
  );
  expect(end.errors).toBeUndefined();
  const [over] = await request(randomUUID(), ended, 1, customers.slice(0, 2));
  expect(over).toEqual({
    campaignId: over.campaignId,
    batch: 1,
    codes: [],
    refused: customers.slice(0, 2).map((customerId) => ({ customerId, reason: 'CAMPAIGN_OVER' })),
  });
  const theirs = await campaign(otherEditor);
  const [unknown] = await request(randomUUID(), theirs, 1, customers.slice(0, 2));
  expect(unknown.codes).toEqual([]);
  expect(unknown.refused.map((r) => r.reason)).toEqual(['UNKNOWN_CAMPAIGN', 'UNKNOWN_CAMPAIGN']);
  expect(await codesOf(ws, theirs)).toEqual([]);
  expect(await codesOf(other, theirs)).toEqual([]);
});
