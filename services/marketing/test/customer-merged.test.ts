// marketing and contacts.customer.merged, on real Postgres, the subgraph's handlers
// applied as its consumer applies them: the merged customers' messages are the
// survivor's (one campaign history, counted in `marketing { totalCount }`), a merged
// id's tab is the survivor's, and a second delivery changes nothing.
import { randomUUID } from 'node:crypto';
import { CUSTOMER_MERGED, createEvent } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { marketingSubgraph } from '../src';

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(marketingSubgraph);
});
afterAll(() => subgraph?.stop());

const ws = `m-merged-${randomUUID().slice(0, 8)}`;
const editor: Identity = { workspaceId: ws, userId: 'e1', role: 'editor' };
const [survivor, dup1, dup2, other] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];

const TAB = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer {
  all: marketing(first: 2) { totalCount edges { node { campaignName } } }
  sms: marketing(first: 0, channel: SMS) { totalCount } } } }`;

const owners = async () =>
  (
    await subgraph.db.query(
      `SELECT customer_id, count(*)::int AS n FROM marketing_message WHERE workspace_id = $1
        GROUP BY customer_id ORDER BY customer_id`,
      [ws],
    )
  ).map((r: { customer_id: string; n: number }) => [r.customer_id, r.n]);

it('moves the merged customers’ messages to the survivor, once', async () => {
  await subgraph.db.query('INSERT INTO workspace (id) VALUES ($1)', [ws]);
  for (const [customerId, count, channel] of [
    [survivor, 2, 'SMS'],
    [dup1, 3, 'ZNS'],
    [dup2, 1, 'SMS'],
    [other, 4, 'EMAIL'],
  ] as const) {
    await subgraph.db.query(
      `INSERT INTO marketing_message (workspace_id, customer_id, channel, campaign_name, status, sent_at, created_at)
       SELECT $1, $2, $3, 'Tết ' || n, 'DELIVERED', now() - n * interval '1 day',
              now() - n * interval '1 day'
         FROM generate_series(1, $4::int) AS n`,
      [ws, customerId, channel, count],
    );
  }
  const event = createEvent({
    type: CUSTOMER_MERGED,
    workspaceId: ws,
    key: survivor,
    payload: {
      mergeId: randomUUID(),
      survivorId: survivor,
      mergedIds: [dup1, dup2],
      mergedBy: 'e1',
    },
  });
  await applyEvents(subgraph.db, marketingSubgraph, event);
  const expected = [
    [survivor, 6],
    [other, 4],
  ].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  expect(await owners()).toEqual(expected);

  for (const id of [survivor, dup2]) {
    const tab = await subgraph.query(editor, TAB, { r: [{ __typename: 'Customer', id }] });
    expect(tab.errors).toBeUndefined();
    expect(tab.data!._entities[0]).toMatchObject({
      all: { totalCount: 6, edges: [expect.anything(), expect.anything()] },
      sms: { totalCount: 3 },
    });
  }

  await applyEvents(subgraph.db, marketingSubgraph, event);
  expect(await owners()).toEqual(expected);
});

it('keeps both messages when a campaign reached two records of one person, and the merge applies', async () => {
  const [keep, twin] = [randomUUID(), randomUUID()];
  const campaignId = randomUUID();
  const startedAt = new Date('2026-03-01T02:00:00Z');
  await subgraph.db.query(
    `INSERT INTO campaign (id, workspace_id, name, channel, content_summary, audience, status,
       started_at, created_by)
     VALUES ($1, $2, 'Tết', 'SMS', 'Chúc mừng', '{}', 'SENDING', $3, 'e1')`,
    [campaignId, ws, startedAt],
  );
  // The audience wrote one message per record, both with the campaign's start.
  for (const customerId of [keep, twin]) {
    await subgraph.db.query(
      `INSERT INTO marketing_message (workspace_id, customer_id, campaign_id, campaign_name,
         channel, status, created_at)
       VALUES ($1, $2, $3, 'Tết', 'SMS', 'QUEUED', $4)`,
      [ws, customerId, campaignId, startedAt],
    );
  }
  const event = createEvent({
    type: CUSTOMER_MERGED,
    workspaceId: ws,
    key: keep,
    payload: { mergeId: randomUUID(), survivorId: keep, mergedIds: [twin], mergedBy: 'e1' },
  });
  await applyEvents(subgraph.db, marketingSubgraph, event);
  const rows = await subgraph.db.query(
    `SELECT customer_id AS "customerId", merged_from AS "mergedFrom" FROM marketing_message
      WHERE workspace_id = $1 AND campaign_id = $2 ORDER BY merged_from NULLS FIRST`,
    [ws, campaignId],
  );
  expect(rows).toEqual([
    { customerId: keep, mergedFrom: null },
    { customerId: keep, mergedFrom: twin },
  ]);
  // The audience still writes one message per recipient: a repeat is nothing new.
  const again = await subgraph.db.query(
    `INSERT INTO marketing_message (workspace_id, customer_id, campaign_id, campaign_name,
       channel, status, created_at)
     VALUES ($1, $2, $3, 'Tết', 'SMS', 'QUEUED', $4)
     ON CONFLICT (campaign_id, customer_id, created_at, merged_from) WHERE campaign_id IS NOT NULL
     DO NOTHING RETURNING id`,
    [ws, keep, campaignId, startedAt],
  );
  expect(again).toEqual([]);
});
