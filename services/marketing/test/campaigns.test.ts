// Campaigns on real Postgres: input checks naming the field, the life of a campaign
// (start → audience from contacts' events → messages → SENT; schedule; cancel; a
// refused audience), vouchers, stats per part, and another workspace seeing nothing.
// Contacts and orders-loyalty are simulated by applying their events (applyEvents).
import { randomUUID } from 'node:crypto';
import {
  AUDIENCE_MEMBERS,
  AUDIENCE_RESOLVED,
  MARKETING_CHANNELS,
  VOUCHERS_ISSUED,
  createEvent,
} from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { marketingSubgraph } from '../src';
import { campaignsModule } from '../src/campaigns/campaigns.module';
import { startDueCampaigns } from '../src/campaigns/campaign.start';
import { storeOutcomes, takeMessages } from '../src/sending/sender.store';

const paused = Object.fromEntries(MARKETING_CHANNELS.map((c) => [c, 0])) as Record<
  (typeof MARKETING_CHANNELS)[number],
  number
>;
let subgraph: TestSubgraph;
beforeAll(async () => {
  // The module's own senders are paused: this file sends by hand.
  subgraph = await startTestSubgraph(marketingSubgraph, {
    marketingSending: { sendRates: paused },
  });
});
afterAll(() => subgraph?.stop());

const ws = `m-camp-${randomUUID().slice(0, 8)}`;
const editor: Identity = { workspaceId: ws, userId: 'e1', role: 'editor' };
const staff: Identity = { workspaceId: ws, userId: 's1', role: 'staff' };
const stranger: Identity = { workspaceId: `${ws}-x`, userId: 'x1', role: 'admin' };

const FIELDS = `id name channel status startedAt finishedAt failureReason voucherCampaignId
  audience { listId filter splitParts part }
  audienceCount { members restricted optedOut noAddress }
  stats { total queued sent delivered opened clicked failed notSent deliveryRate
    byPart { part total sent delivered } }`;
const CREATE = `mutation($input: CampaignInput!) { createCampaign(input: $input) { ${FIELDS} } }`;
const START = `mutation($id: ID!) { startCampaign(id: $id) { ${FIELDS} } }`;
const CANCEL = `mutation($id: ID!) { cancelCampaign(id: $id) { ${FIELDS} } }`;
const SCHEDULE = `mutation($id: ID!, $at: DateTime!) { scheduleCampaign(id: $id, at: $at) { id status scheduledAt } }`;
const UPDATE = `mutation($id: ID!, $input: CampaignInput!) { updateCampaign(id: $id, input: $input) { id name } }`;
const ONE = `query($id: ID!) { campaign(id: $id) { ${FIELDS} } }`;
const LIST = `query($status: CampaignStatus) { campaigns(first: 10, status: $status) {
  totalCount edges { node { id status } } } }`;

const input = (extra: object = {}) => ({
  name: 'Tết sale',
  channel: 'SMS',
  contentSummary: 'Giảm 20% dịp Tết',
  audience: { listId: randomUUID() },
  ...extra,
});

async function create(extra: object = {}, who = editor) {
  const body = await subgraph.query(who, CREATE, { input: input(extra) });
  expect(body.errors).toBeUndefined();
  return body.data!.createCampaign;
}

const outbox = async (topic: string, campaignId: string) =>
  (
    await subgraph.db.query(`SELECT value FROM outbox WHERE topic = $1 AND key = $2 ORDER BY seq`, [
      topic,
      campaignId,
    ])
  ).map((r: { value: { payload: Record<string, unknown> } }) => r.value.payload);

const members = (campaignId: string, batch: number, ids: string[], part: number | null = null) =>
  createEvent({
    type: AUDIENCE_MEMBERS,
    workspaceId: ws,
    key: campaignId,
    payload: {
      campaignId,
      batch,
      members: ids.map((customerId, i) => ({
        customerId,
        address: `+8490${String(1_000_000 + i).slice(1)}${batch}`,
        part,
      })),
    },
  });
const resolved = (
  campaignId: string,
  batches: number,
  count: number,
  refused: string | null = null,
) =>
  createEvent({
    type: AUDIENCE_RESOLVED,
    workspaceId: ws,
    key: campaignId,
    payload: {
      campaignId,
      batches,
      members: count,
      excluded: { restricted: 2, optedOut: 1, noAddress: 3 },
      refused,
    },
  });
const ids = (n: number) => Array.from({ length: n }, () => randomUUID());

/** Hands every PENDING SMS message to a provider that accepts them all. */
async function sendAll() {
  for (;;) {
    const taken = await takeMessages(subgraph.db, 'SMS', 100, 60_000);
    if (taken.length === 0) return;
    const outcomes = taken.map((m) => ({
      messageId: m.messageId,
      providerMessageId: `p-${m.messageId}`,
    }));
    await storeOutcomes(subgraph.db, taken, outcomes, new Date());
  }
}

describe('input', () => {
  it.each([
    ['input.name', { name: ' ' }],
    ['input.name', { name: 'x'.repeat(201) }],
    ['input.audience', { audience: {} }],
    ['input.audience', { audience: { listId: randomUUID(), filter: { tags: { has: 'vip' } } } }],
    ['input.audience.listId', { audience: { listId: 'nope' } }],
    ['input.audience.filter', { audience: { filter: [1, 2] } }],
    ['input.audience.splitParts', { audience: { listId: randomUUID(), splitParts: 1 } }],
    ['input.audience.splitParts', { audience: { listId: randomUUID(), splitParts: 101 } }],
    ['input.audience.part', { audience: { listId: randomUUID(), splitParts: 3, part: 4 } }],
    ['input.audience.part', { audience: { listId: randomUUID(), part: 1 } }],
    ['input.voucherCampaignId', { voucherCampaignId: 'v1' }],
    ['input.contentSummary', { contentSummary: 'x'.repeat(1001) }],
  ])('refuses a bad %s, naming it and writing nothing', async (field, extra) => {
    const body = await subgraph.query(editor, CREATE, { input: input(extra) });
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    const [{ n }] = await subgraph.db.query(
      'SELECT count(*)::int AS n FROM campaign WHERE workspace_id = $1 AND name = $2',
      [ws, (extra as { name?: string }).name ?? 'Tết sale'],
    );
    expect(n).toBe(0);
  });

  it('refuses an unknown channel, a past schedule, and a change to a started campaign', async () => {
    const bad = await subgraph.query(editor, CREATE, { input: input({ channel: 'FAX' }) });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const c = await create({ name: 'checks' });
    const past = await subgraph.query(editor, SCHEDULE, { id: c.id, at: '2020-01-01T00:00:00Z' });
    expect(past.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'at' });
    await subgraph.query(editor, START, { id: c.id });
    const changed = await subgraph.query(editor, UPDATE, { id: c.id, input: input() });
    expect(changed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const again = await subgraph.query(editor, START, { id: c.id });
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('lets only workspace editors write and whole-workspace readers read', async () => {
    const refused = await subgraph.query(staff, CREATE, { input: input() });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const c = await create({ name: 'readers' });
    const read = await subgraph.query(staff, ONE, { id: c.id });
    expect(read.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const analyst = await subgraph.query({ ...editor, role: 'analyst' }, ONE, { id: c.id });
    expect(analyst.data!.campaign.name).toBe('readers');
  });
});

it('runs a campaign: audience requested, members become messages once, SENT when all are sent', async () => {
  const c = await create({ audience: { listId: randomUUID(), splitParts: 3, part: 2 } });
  expect(c).toMatchObject({
    status: 'DRAFT',
    audienceCount: null,
    stats: { total: 0, byPart: [] },
  });
  const started = (await subgraph.query(editor, START, { id: c.id })).data!.startCampaign;
  expect(started).toMatchObject({ status: 'SENDING', startedAt: expect.any(String) });
  expect(await outbox('marketing.audience.requested', c.id)).toEqual([
    {
      campaignId: c.id,
      channel: 'SMS',
      audience: { listId: c.audience.listId, filter: null, splitParts: 3, part: 2 },
    },
  ]);

  const [b1, b2] = [ids(1000), ids(500)];
  await applyEvents(subgraph.db, campaignsModule, members(c.id, 1, b1, 2), members(c.id, 2, b2, 2));
  // A redelivered batch (a new event id) adds nobody.
  await applyEvents(subgraph.db, campaignsModule, members(c.id, 1, b1, 2));
  await applyEvents(subgraph.db, campaignsModule, resolved(c.id, 2, 1500));
  let now = (await subgraph.query(editor, ONE, { id: c.id })).data!.campaign;
  expect(now).toMatchObject({
    status: 'SENDING',
    audienceCount: { members: 1500, restricted: 2, optedOut: 1, noAddress: 3 },
    stats: { total: 1500, queued: 1500, sent: 0, byPart: [{ part: 2, total: 1500, sent: 0 }] },
  });
  const rows = await subgraph.db.query(
    `SELECT count(*)::int AS n, count(DISTINCT customer_id)::int AS customers,
            bool_and(created_at = $2) AS "atStart", bool_and(send_state = 'PENDING') AS pending
       FROM marketing_message WHERE workspace_id = $1 AND campaign_id = $3`,
    [ws, new Date(started.startedAt), c.id],
  );
  expect(rows[0]).toEqual({ n: 1500, customers: 1500, atStart: true, pending: true });

  await sendAll();
  now = (await subgraph.query(editor, ONE, { id: c.id })).data!.campaign;
  expect(now).toMatchObject({
    status: 'SENT',
    finishedAt: expect.any(String),
    stats: { total: 1500, queued: 0, sent: 1500, delivered: 0, failed: 0, deliveryRate: 0 },
  });
  const timeline = await subgraph.db.query(
    `SELECT count(*)::int AS n FROM message_event WHERE workspace_id = $1 AND status = 'SENT'
        AND provider_event_id = 'send' AND message_id IN
        (SELECT id FROM marketing_message WHERE campaign_id = $2)`,
    [ws, c.id],
  );
  expect(timeline[0].n).toBe(1500);
});

it('counts stats per part, a status counting every message at or beyond it', async () => {
  const c = await create({ audience: { listId: randomUUID(), splitParts: 2 } });
  await subgraph.query(editor, START, { id: c.id });
  await applyEvents(
    subgraph.db,
    campaignsModule,
    members(c.id, 1, ids(4), 1),
    members(c.id, 2, ids(4), 2),
    resolved(c.id, 2, 8),
  );
  await sendAll();
  // Part 1: DELIVERED, OPENED, CLICKED, FAILED after sending; part 2: 4 × SENT.
  await subgraph.db.query(
    `UPDATE marketing_message m SET status = s.status
       FROM (SELECT id, (ARRAY['DELIVERED', 'OPENED', 'CLICKED', 'FAILED'])[row_number() OVER (ORDER BY id)] AS status
               FROM marketing_message WHERE campaign_id = $1 AND split_part = 1) s
      WHERE m.id = s.id`,
    [c.id],
  );
  const stats = (await subgraph.query(editor, ONE, { id: c.id })).data!.campaign.stats;
  expect(stats).toEqual({
    total: 8,
    queued: 0,
    sent: 8,
    delivered: 3,
    opened: 2,
    clicked: 1,
    failed: 1,
    notSent: 0,
    deliveryRate: 3 / 8,
    byPart: [
      { part: 1, total: 4, sent: 4, delivered: 3 },
      { part: 2, total: 4, sent: 4, delivered: 0 },
    ],
  });
});

it('fails a campaign whose audience contacts refused', async () => {
  const c = await create({ audience: { filter: { nonsense: true } } });
  await subgraph.query(editor, START, { id: c.id });
  await applyEvents(
    subgraph.db,
    campaignsModule,
    resolved(c.id, 0, 0, 'unknown filter field nonsense'),
  );
  const now = (await subgraph.query(editor, ONE, { id: c.id })).data!.campaign;
  expect(now).toMatchObject({ status: 'FAILED', failureReason: 'unknown filter field nonsense' });
});

it('cancels: unsent messages FAILED "CANCELLED", later batches add nobody, nothing is sent', async () => {
  const c = await create({ name: 'to cancel' });
  await subgraph.query(editor, START, { id: c.id });
  await applyEvents(subgraph.db, campaignsModule, members(c.id, 1, ids(10)));
  const cancelled = (await subgraph.query(editor, CANCEL, { id: c.id })).data!.cancelCampaign;
  expect(cancelled).toMatchObject({
    status: 'CANCELLED',
    stats: { total: 10, queued: 0, sent: 0, failed: 0, notSent: 10 },
  });
  await applyEvents(subgraph.db, campaignsModule, members(c.id, 2, ids(10)), resolved(c.id, 2, 20));
  const rows = await subgraph.db.query(
    `SELECT status, failure_reason AS reason, send_state AS state, count(*)::int AS n
       FROM marketing_message WHERE campaign_id = $1 GROUP BY 1, 2, 3`,
    [c.id],
  );
  expect(rows).toEqual([{ status: 'FAILED', reason: 'CANCELLED', state: 'DONE', n: 10 }]);
  const again = (await subgraph.query(editor, CANCEL, { id: c.id })).data!.cancelCampaign;
  expect(again.status).toBe('CANCELLED');
});

it('starts a scheduled campaign when its time comes, and only then', async () => {
  const c = await create({ name: 'scheduled' });
  const at = new Date(Date.now() + 3_600_000).toISOString();
  const scheduled = (await subgraph.query(editor, SCHEDULE, { id: c.id, at })).data!
    .scheduleCampaign;
  expect(scheduled).toMatchObject({ status: 'SCHEDULED', scheduledAt: at });
  await startDueCampaigns(subgraph.db, new Date());
  expect((await subgraph.query(editor, ONE, { id: c.id })).data!.campaign.status).toBe('SCHEDULED');
  await startDueCampaigns(subgraph.db, new Date(Date.now() + 3_600_001));
  expect((await subgraph.query(editor, ONE, { id: c.id })).data!.campaign.status).toBe('SENDING');
  expect(await outbox('marketing.audience.requested', c.id)).toHaveLength(1);
});

it('gives each recipient a voucher code before sending; a refused one is not sent', async () => {
  const voucherCampaignId = randomUUID();
  const c = await create({ name: 'with vouchers', voucherCampaignId });
  await subgraph.query(editor, START, { id: c.id });
  const people = ids(5);
  await applyEvents(subgraph.db, campaignsModule, members(c.id, 1, people), resolved(c.id, 1, 5));
  expect(await outbox('marketing.vouchers.requested', c.id)).toEqual([
    { campaignId: c.id, voucherCampaignId, batch: 1, customerIds: people },
  ]);
  // Nothing is sent while the codes are awaited.
  expect(await takeMessages(subgraph.db, 'SMS', 100, 60_000)).toEqual([]);
  const issued = createEvent({
    type: VOUCHERS_ISSUED,
    workspaceId: ws,
    key: c.id,
    payload: {
      campaignId: c.id,
      batch: 1,
      codes: people.slice(0, 4).map((customerId, i) => ({ customerId, code: `TET-${i}` })),
      refused: [{ customerId: people[4], reason: 'LIMIT_TOTAL' }],
    },
  });
  await applyEvents(subgraph.db, campaignsModule, issued, { ...issued, id: randomUUID() });
  const taken = await takeMessages(subgraph.db, 'SMS', 100, 60_000);
  expect(taken.map((m) => m.voucherCode).sort()).toEqual(['TET-0', 'TET-1', 'TET-2', 'TET-3']);
  await storeOutcomes(
    subgraph.db,
    taken,
    taken.map((m) => ({ messageId: m.messageId, providerMessageId: `p-${m.messageId}` })),
    new Date(),
  );
  const now = (await subgraph.query(editor, ONE, { id: c.id })).data!.campaign;
  expect(now).toMatchObject({ status: 'SENT', stats: { total: 5, sent: 4, notSent: 1 } });
  const [refused] = await subgraph.db.query(
    'SELECT status, failure_reason AS reason FROM marketing_message WHERE customer_id = $1',
    [people[4]],
  );
  expect(refused).toEqual({ status: 'FAILED', reason: 'NO_VOUCHER: LIMIT_TOTAL' });
});

it('shows another workspace nothing and lets it change nothing', async () => {
  const c = await create({ name: 'mine' });
  expect((await subgraph.query(stranger, ONE, { id: c.id })).data!.campaign).toBeNull();
  const list = (await subgraph.query(stranger, LIST, {})).data!.campaigns;
  expect(list).toEqual({ totalCount: 0, edges: [] });
  for (const mutation of [START, CANCEL]) {
    const body = await subgraph.query(stranger, mutation, { id: c.id });
    expect(body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  }
  const moved = await subgraph.query(stranger, UPDATE, { id: c.id, input: input() });
  expect(moved.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  expect((await subgraph.query(editor, ONE, { id: c.id })).data!.campaign.status).toBe('DRAFT');
  const mine = (await subgraph.query(editor, LIST, { status: 'DRAFT' })).data!.campaigns;
  expect(mine.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(c.id);
});
