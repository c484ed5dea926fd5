// The kept Marketing summary (marketing_customer_summary) on real Postgres: after every
// path that writes marketing_message — audience batches, vouchers, a cancel, the
// sender's answers and give-ups, delivery reports, a merge, an erasure, a delete, a
// month dropped past the retention — and under concurrent writers to one customer, the
// kept rows equal the GROUP BY of the messages, row for row; the summary reads them.
import { randomUUID } from 'node:crypto';
import {
  AUDIENCE_MEMBERS,
  AUDIENCE_RESOLVED,
  CUSTOMER_ERASED,
  CUSTOMER_MERGED,
  MARKETING_CHANNELS,
  VOUCHERS_ISSUED,
  createEvent,
  uuidv7,
} from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { marketingSubgraph } from '../src';
import { campaignsModule } from '../src/campaigns/campaigns.module';
import { applyReports } from '../src/delivery/delivery.apply';
import type { DeliveryReport } from '../src/delivery/delivery.wire';
import type { MarketingChannel } from '../src/messages/message.entity';
import { messagesModule } from '../src/messages/messages.module';
import { addMonths, partitionMonths } from '../src/messages/message.partitions';
import { maintainPartitions } from '../src/messages/message.retention';
import { SUMMARY_AGGREGATE, SUMMARY_COLUMNS } from '../src/messages/summary.kept';
import { privacyModule } from '../src/privacy/privacy.module';
import { giveUpUnanswered, storeOutcomes, takeMessages } from '../src/sending/sender.store';

const paused = Object.fromEntries(MARKETING_CHANNELS.map((c) => [c, 0])) as Record<
  MarketingChannel,
  number
>;
let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(marketingSubgraph, {
    marketingSending: { sendRates: paused },
  });
});
afterAll(() => subgraph?.stop());

const ws = `m-kept-${randomUUID().slice(0, 8)}`;
const editor: Identity = { workspaceId: ws, userId: 'e1', role: 'editor' };
const [a, b, c, d, e, f] = Array.from({ length: 6 }, () => randomUUID());

const order = 'ORDER BY workspace_id, customer_id, channel';
/** The workspace's kept rows. */
const kept = () =>
  subgraph.db.query(
    `SELECT ${SUMMARY_COLUMNS} FROM marketing_customer_summary WHERE workspace_id = $1 ${order}`,
    [ws],
  );
/** What the kept rows must be: the aggregate of the workspace's messages (never none). */
async function truth(): Promise<unknown[]> {
  const rows = await subgraph.db.query(
    `SELECT ${SUMMARY_AGGREGATE} FROM marketing_message WHERE workspace_id = $1
      GROUP BY workspace_id, customer_id, channel ${order}`,
    [ws],
  );
  if (rows.length === 0) throw new Error('no message to compare with');
  return rows;
}

const messagesOf = async (customer: string, channel: MarketingChannel) =>
  (await subgraph.db.query(
    `SELECT id, created_at AS "createdAt" FROM marketing_message
      WHERE workspace_id = $1 AND customer_id = $2 AND channel = $3 ORDER BY id`,
    [ws, customer, channel],
  )) as { id: string; createdAt: Date }[];

/** A started campaign on `channel` whose audience is `members`. */
async function campaign(
  channel: MarketingChannel,
  members: string[],
  voucherCampaignId?: string,
): Promise<string> {
  const created = await subgraph.query(
    editor,
    `mutation($input: CampaignInput!) { createCampaign(input: $input) { id } }`,
    {
      input: {
        name: `${channel} kept`,
        channel,
        audience: { listId: randomUUID() },
        voucherCampaignId,
      },
    },
  );
  const id: string = created.data!.createCampaign.id;
  await subgraph.query(editor, `mutation($id: ID!) { startCampaign(id: $id) { id } }`, { id });
  const address = (i: number) => (channel === 'EMAIL' ? `k${i}@example.vn` : `+8490000000${i}`);
  await applyEvents(
    subgraph.db,
    campaignsModule,
    createEvent({
      type: AUDIENCE_MEMBERS,
      workspaceId: ws,
      key: id,
      payload: {
        campaignId: id,
        batch: 1,
        members: members.map((customerId, i) => ({ customerId, address: address(i), part: null })),
      },
    }),
    createEvent({
      type: AUDIENCE_RESOLVED,
      workspaceId: ws,
      key: id,
      payload: {
        campaignId: id,
        batches: 1,
        members: members.length,
        excluded: { restricted: 0, optedOut: 0, noAddress: 0 },
        refused: null,
      },
    }),
  );
  return id;
}

const report = (
  m: { id: string; createdAt: Date },
  status: DeliveryReport['status'],
  minutes: number,
): DeliveryReport => ({
  providerEventId: randomUUID(),
  messageId: m.id,
  createdAt: m.createdAt,
  providerMessageId: null,
  status,
  at: new Date(m.createdAt.getTime() + minutes * 60_000),
  detail: status === 'FAILED' ? 'bounced' : null,
  workspaceId: null,
});

it('follows audience batches, vouchers and a cancel', async () => {
  await campaign('SMS', [a, b, c, d, e, f]);
  expect(await kept()).toEqual(await truth());
  const email = await campaign('EMAIL', [a, b, c, d, e, f], randomUUID());
  await applyEvents(
    subgraph.db,
    campaignsModule,
    createEvent({
      type: VOUCHERS_ISSUED,
      workspaceId: ws,
      key: email,
      payload: {
        campaignId: email,
        batch: 1,
        codes: [a, b, c].map((customerId, i) => ({ customerId, code: `V-${i}` })),
        refused: [{ customerId: d, reason: 'LIMIT_TOTAL' }],
      },
    }),
  );
  expect(await kept()).toEqual(await truth()); // d's email FAILED (no voucher)
  await subgraph.query(editor, `mutation($id: ID!) { cancelCampaign(id: $id) { id } }`, {
    id: email,
  });
  expect(await kept()).toEqual(await truth()); // every email not handed over FAILED (cancelled)
});

it('follows the sender’s answers and give-ups', async () => {
  const taken = await takeMessages(subgraph.db, 'SMS', 100, 60_000);
  expect(taken.length).toBe(6);
  expect(await kept()).toEqual(await truth()); // taken: nothing the summary shows moved
  const [first, second, third, ...rest] = taken;
  await storeOutcomes(
    subgraph.db,
    taken,
    [
      { messageId: first.messageId, error: { reason: 'refused', permanent: true } },
      { messageId: second.messageId, error: { reason: 'busy', permanent: false } },
      { messageId: third.messageId, error: { reason: 'busy', permanent: false } },
      ...rest.map((m) => ({ messageId: m.messageId, providerMessageId: `pm-${m.messageId}` })),
    ],
    new Date(),
  );
  expect(await kept()).toEqual(await truth());
  await subgraph.db.query(
    `UPDATE marketing_message SET send_state = 'SENDING', attempts = 5,
       sending_since = now() - interval '1 hour'
      WHERE workspace_id = $1 AND id = ANY($2::uuid[])`,
    [ws, [second.messageId, third.messageId]],
  );
  await giveUpUnanswered(subgraph.db, 'SMS', 60_000);
  expect(await kept()).toEqual(await truth());
});

it('follows delivery reports, in any order, and a late one', async () => {
  const sms = await messagesOf(e, 'SMS');
  const emails = await messagesOf(a, 'EMAIL');
  await subgraph.db.transaction((tx) =>
    applyReports(
      tx,
      ['SMS', 'EMAIL'],
      [
        report(sms[0], 'DELIVERED', 5),
        report(emails[0], 'CLICKED', 30),
        report(emails[0], 'OPENED', 20),
        report(emails[0], 'SENT', 0),
      ],
    ),
  );
  expect(await kept()).toEqual(await truth());
  const [late] = await messagesOf(f, 'SMS');
  await subgraph.db.transaction((tx) =>
    applyReports(tx, ['SMS'], [report(late, 'FAILED', 3), report(sms[0], 'SENT', 0)]),
  );
  expect(await kept()).toEqual(await truth());
});

it('follows a merge, an erasure and a delete', async () => {
  // Duplicates with messages of no campaign (two recipients of one campaign cannot be
  // merged: the recipient index refuses the second message; not the summary's matter).
  const [g, h] = [randomUUID(), randomUUID()];
  await subgraph.db.query(
    `INSERT INTO marketing_message (workspace_id, customer_id, channel, campaign_name, status,
       sent_at, created_at)
     SELECT $1, x.customer_id, x.channel, 'before the merge', 'OPENED', now() + interval '1 day', now()
       FROM unnest($2::uuid[], $3::text[]) AS x(customer_id, channel)`,
    [ws, [g, g, h, h], ['SMS', 'SMS', 'EMAIL', 'FACEBOOK']],
  );
  expect(await kept()).toEqual(await truth());
  await applyEvents(
    subgraph.db,
    messagesModule,
    createEvent({
      type: CUSTOMER_MERGED,
      workspaceId: ws,
      key: a,
      payload: { mergeId: randomUUID(), survivorId: a, mergedIds: [g, h], mergedBy: 'e1' },
    }),
  );
  expect(await kept()).toEqual(await truth());
  await campaign('ZNS', [d, e]); // PENDING: the erasure fails d's
  await applyEvents(
    subgraph.db,
    privacyModule,
    createEvent({
      type: CUSTOMER_ERASED,
      workspaceId: ws,
      key: d,
      payload: { customerId: d, erasureId: randomUUID(), erasedBy: 'e1' },
    }),
  );
  expect(await kept()).toEqual(await truth());
  // The latest message of e's ZNS goes back in time; then e's SMS are deleted.
  await subgraph.db.query(
    `UPDATE marketing_message SET sent_at = created_at - interval '1 day'
      WHERE workspace_id = $1 AND customer_id = $2 AND channel = 'ZNS'`,
    [ws, e],
  );
  expect(await kept()).toEqual(await truth());
  await subgraph.db.query(
    `DELETE FROM marketing_message WHERE workspace_id = $1 AND customer_id = $2 AND channel = 'SMS'`,
    [ws, e],
  );
  expect(await kept()).toEqual(await truth());
});

it('takes a month dropped past the retention out of the figures', async () => {
  const [oldest, next] = await partitionMonths(subgraph.db);
  const insert = (customer: string, channel: string, createdAt: Date, sentAt: Date) =>
    subgraph.db.query(
      `INSERT INTO marketing_message (id, workspace_id, customer_id, campaign_name, channel,
         status, sent_at, created_at) VALUES ($1, $2, $3, 'old', $4, 'DELIVERED', $5, $6)`,
      [uuidv7(createdAt.getTime()), ws, customer, channel, sentAt, createdAt],
    );
  const day = (month: Date, n: number) => new Date(month.getTime() + n * 86_400_000);
  // f's FACEBOOK: only in the month dropped; its ZALO_OA's latest was sent late, from it.
  await insert(f, 'FACEBOOK', day(oldest, 1), day(oldest, 2));
  await insert(f, 'ZALO_OA', day(oldest, 3), day(next, 20));
  await insert(f, 'ZALO_OA', day(next, 1), day(next, 2));
  expect(await kept()).toEqual(await truth());
  const dropped = await maintainPartitions(subgraph.db, 24, addMonths(oldest, 25));
  expect(dropped).toEqual([oldest]);
  expect(await kept()).toEqual(await truth());
  const left = await subgraph.db.query(
    `SELECT channel, messages, last_at AS "lastAt" FROM marketing_customer_summary
      WHERE workspace_id = $1 AND customer_id = $2 AND channel IN ('FACEBOOK', 'ZALO_OA')`,
    [ws, f],
  );
  expect(left).toEqual([{ channel: 'ZALO_OA', messages: 1, lastAt: day(next, 2) }]);
});

it('stays exact under concurrent writers to one customer', async () => {
  const k = randomUUID();
  const from = randomUUID();
  const now = Date.now();
  for (const [customer, n] of [
    [k, 30],
    [from, 5],
  ] as const) {
    await subgraph.db.query(
      `INSERT INTO marketing_message (id, workspace_id, customer_id, campaign_name, channel,
         status, created_at)
       SELECT gen_random_uuid(), $1, $2, 'c' || i, 'EMAIL', 'QUEUED', $3::timestamptz - i * interval '1 hour'
         FROM generate_series(1, $4::int) AS i`,
      [ws, customer, new Date(now), n],
    );
  }
  const messages = await messagesOf(k, 'EMAIL');
  const statuses = ['SENT', 'DELIVERED', 'OPENED', 'CLICKED', 'FAILED'] as const;
  // Reports as several webhooks at once, each in its transaction; a deadlock between
  // two of them (their message rows locked in another order) is retried, as a
  // provider retries a failed webhook.
  const retried = async (work: () => Promise<unknown>) => {
    for (;;) {
      try {
        return await work();
      } catch (error) {
        if ((error as { code?: string }).code !== '40P01') throw error;
      }
    }
  };
  const writers = Array.from({ length: 12 }, (_, w) =>
    retried(() =>
      subgraph.db.transaction((tx) =>
        applyReports(
          tx,
          ['EMAIL'],
          Array.from({ length: 8 }, (_, i) =>
            report(messages[(w * 7 + i * 5) % messages.length], statuses[(w + i) % 5], w + i),
          ),
        ),
      ),
    ),
  );
  writers.push(
    retried(() =>
      applyEvents(
        subgraph.db,
        messagesModule,
        createEvent({
          type: CUSTOMER_MERGED,
          workspaceId: ws,
          key: k,
          payload: { mergeId: randomUUID(), survivorId: k, mergedIds: [from], mergedBy: 'e1' },
        }),
      ),
    ),
    retried(() =>
      subgraph.db.query(
        `UPDATE marketing_message SET sent_at = created_at + interval '2 hours'
          WHERE workspace_id = $1 AND customer_id = $2 AND id = ANY($3::uuid[])`,
        [ws, k, messages.slice(0, 10).map((m) => m.id)],
      ),
    ),
  );
  await Promise.all(writers);
  expect(await kept()).toEqual(await truth());
  const ofK = await subgraph.db.query(
    `SELECT messages FROM marketing_customer_summary WHERE workspace_id = $1 AND customer_id = $2`,
    [ws, k],
  );
  expect(ofK).toEqual([{ messages: 35 }]);
  // What the page shows is the kept rows.
  const shown = await subgraph.query(
    editor,
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer {
       marketingSummary { channel sent delivered opened clicked failed lastAt } } } }`,
    { r: [{ __typename: 'Customer', id: k }] },
  );
  const [ofKTruth] = await subgraph.db.query(
    `SELECT ${SUMMARY_AGGREGATE} FROM marketing_message WHERE workspace_id = $1 AND customer_id = $2
      GROUP BY workspace_id, customer_id, channel`,
    [ws, k],
  );
  expect(shown.data!._entities[0].marketingSummary).toEqual([
    {
      channel: 'EMAIL',
      sent: ofKTruth.sent,
      delivered: ofKTruth.delivered,
      opened: ofKTruth.opened,
      clicked: ofKTruth.clicked,
      failed: ofKTruth.failed,
      lastAt: ofKTruth.last_at.toISOString(),
    },
  ]);
});
