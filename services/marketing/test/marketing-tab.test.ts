// The Marketing tab on real Postgres, over several monthly partitions: paging across
// months, `from`/`to` with `channel`, each message's timeline, voucher and campaign,
// the per-channel summary, and another workspace seeing none of it.
import { randomUUID } from 'node:crypto';
import { uuidv7 } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { marketingSubgraph } from '../src';
import { addMonths, monthStart } from '../src/messages/message.partitions';

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(marketingSubgraph);
  await seed();
});
afterAll(() => subgraph?.stop());

const ws = `m-tab-${randomUUID().slice(0, 8)}`;
const other = `m-tab-other-${randomUUID().slice(0, 8)}`;
const editor: Identity = { workspaceId: ws, userId: 'e1', role: 'editor' };
const stranger: Identity = { workspaceId: other, userId: 'e2', role: 'admin' };
const [anh, binh] = [randomUUID(), randomUUID()];

type Status = 'QUEUED' | 'SENT' | 'FAILED' | 'DELIVERED' | 'OPENED' | 'CLICKED';
interface Seeded {
  id: string;
  customer: string;
  channel: string;
  status: Status;
  createdAt: Date;
  campaignId: string | null;
}
const seeded: Seeded[] = [];
const campaign = randomUUID();
// Three months back to this one (all inside the retention's partitions).
const thisMonth = monthStart(new Date());
const at = (monthsBack: number, day: number) =>
  new Date(addMonths(thisMonth, -monthsBack).getTime() + (day - 1) * 86_400_000 + 3_600_000);

async function seed() {
  const plan: [string, string, Status, Date][] = [
    [anh, 'SMS', 'DELIVERED', at(3, 2)],
    [anh, 'EMAIL', 'CLICKED', at(3, 20)],
    [anh, 'EMAIL', 'FAILED', at(2, 5)],
    [anh, 'SMS', 'SENT', at(2, 5)], // the same instant: the id breaks the tie
    [anh, 'EMAIL', 'OPENED', at(1, 9)],
    [anh, 'ZNS', 'QUEUED', at(0, 1)],
    [binh, 'SMS', 'FAILED', at(1, 3)],
  ];
  for (const [customer, channel, status, createdAt] of plan) {
    const id = uuidv7(createdAt.getTime());
    const campaignId = channel === 'EMAIL' ? campaign : null;
    seeded.push({ id, customer, channel, status, createdAt, campaignId });
    await subgraph.db.query(
      `INSERT INTO marketing_message (id, workspace_id, customer_id, campaign_id, campaign_name,
         channel, address, voucher_code, status, failure_reason, sent_at, created_at)
       VALUES ($1, $2, $3, $4, 'Tết', $5, $6, $7, $8, $9, $10, $11)`,
      [
        id,
        ws,
        customer,
        campaignId,
        channel,
        channel === 'EMAIL' ? 'anh@example.vn' : '+84901234567',
        channel === 'EMAIL' ? 'TET-10' : null,
        status,
        status === 'FAILED' ? '550 5.1.1 mailbox unavailable' : null,
        status === 'QUEUED' ? null : createdAt,
        createdAt,
      ],
    );
  }
  // The clicked email's timeline, stored out of order; a FAILED one with its detail.
  const clicked = seeded[1];
  const failed = seeded[2];
  const minutes = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);
  const events: [Seeded, string, number, string | null][] = [
    [clicked, 'CLICKED', 30, null],
    [clicked, 'SENT', 0, null],
    [clicked, 'OPENED', 20, null],
    [clicked, 'DELIVERED', 1, null],
    [failed, 'SENT', 0, null],
    [failed, 'FAILED', 2, '550 5.1.1 mailbox unavailable'],
  ];
  for (const [k, [message, status, m, detail]] of events.entries()) {
    await subgraph.db.query(
      `INSERT INTO message_event (workspace_id, message_id, message_created_at, status, at,
         detail, provider_event_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [ws, message.id, message.createdAt, status, minutes(message.createdAt, m), detail, `e${k}`],
    );
  }
}

const TAB = `query($r: [_Any!]!, $first: Int, $after: String, $channel: MarketingChannel,
    $from: DateTime, $to: DateTime) {
  _entities(representations: $r) { ... on Customer {
    marketing(first: $first, after: $after, channel: $channel, from: $from, to: $to) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id channel status createdAt campaignId voucherCode address
        timeline { status at detail } } } } } } }`;

const tab = async (who: Identity, customer: string, vars: Record<string, unknown> = {}) => {
  const body = await subgraph.query(who, TAB, {
    r: [{ __typename: 'Customer', id: customer }],
    ...vars,
  });
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!._entities[0].marketing;
};

/** The seeded messages of a customer, newest first (created_at, then id, descending). */
const expected = (customer: string, keep: (m: Seeded) => boolean = () => true) =>
  seeded
    .filter((m) => m.customer === customer && keep(m))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
    .map((m) => m.id);

it('pages through months newest first, two at a time, to the end', async () => {
  const ids: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 10; pages++) {
    const page: any = await tab(editor, anh, { first: 2, after });
    expect(page.totalCount).toBe(6);
    ids.push(...page.edges.map((e: any) => e.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  expect(ids).toEqual(expected(anh));
});

it('keeps `from` (inclusive) to `to` (exclusive) on one channel, counted alike', async () => {
  const from = at(3, 20); // exactly the clicked email's created_at
  const to = at(1, 9); // exactly the opened email's: left out
  const page = await tab(editor, anh, { first: 10, channel: 'EMAIL', from, to });
  const inRange = (m: Seeded) => m.channel === 'EMAIL' && m.createdAt >= from && m.createdAt < to;
  expect(page.edges.map((e: any) => e.node.id)).toEqual(expected(anh, inRange));
  expect(page.edges).toHaveLength(2);
  expect(page.totalCount).toBe(2);
  const later = await tab(editor, anh, { first: 10, from: at(0, 1) });
  expect(later.edges.map((e: any) => e.node.channel)).toEqual(['ZNS']);
});

it('refuses `to` not after `from`, naming `to`', async () => {
  const body = await subgraph.query(editor, TAB, {
    r: [{ __typename: 'Customer', id: anh }],
    from: at(1, 1),
    to: at(1, 1),
  });
  expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
});

it('shows each message’s timeline oldest first, its voucher, campaign and address', async () => {
  const page = await tab(editor, anh, { first: 10, channel: 'EMAIL' });
  const byId = new Map(page.edges.map((e: any) => [e.node.id, e.node]));
  const clicked: any = byId.get(seeded[1].id);
  expect(clicked.timeline.map((t: any) => t.status)).toEqual([
    'SENT',
    'DELIVERED',
    'OPENED',
    'CLICKED',
  ]);
  expect(clicked).toMatchObject({
    status: 'CLICKED',
    campaignId: campaign,
    voucherCode: 'TET-10',
    address: 'anh@example.vn',
    createdAt: seeded[1].createdAt.toISOString(),
  });
  expect(clicked.timeline[0].at).toBe(seeded[1].createdAt.toISOString());
  const failed: any = byId.get(seeded[2].id);
  expect(failed.timeline).toEqual([
    { status: 'SENT', at: seeded[2].createdAt.toISOString(), detail: null },
    {
      status: 'FAILED',
      at: new Date(seeded[2].createdAt.getTime() + 120_000).toISOString(),
      detail: '550 5.1.1 mailbox unavailable',
    },
  ]);
  expect(byId.get(seeded[4].id)).toMatchObject({ timeline: [] });
});

const SUMMARY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer {
  id marketingSummary { channel sent delivered opened clicked failed lastAt } } } }`;

it('sums each channel a customer has messages on, for a page of customers at once', async () => {
  const body = await subgraph.query(editor, SUMMARY, {
    r: [anh, binh, randomUUID()].map((id) => ({ __typename: 'Customer', id })),
  });
  expect(body.errors).toBeUndefined();
  const [a, b, none] = body.data!._entities.map((c: any) => c.marketingSummary);
  const last = (customer: string, channel: string) =>
    new Date(
      Math.max(
        ...seeded
          .filter((m) => m.customer === customer && m.channel === channel)
          .map((m) => m.createdAt.getTime()),
      ),
    ).toISOString();
  expect(a).toEqual([
    {
      channel: 'SMS',
      sent: 2,
      delivered: 1,
      opened: 0,
      clicked: 0,
      failed: 0,
      lastAt: last(anh, 'SMS'),
    },
    {
      channel: 'EMAIL',
      sent: 3,
      delivered: 2,
      opened: 2,
      clicked: 1,
      failed: 1,
      lastAt: last(anh, 'EMAIL'),
    },
    {
      channel: 'ZNS',
      sent: 0,
      delivered: 0,
      opened: 0,
      clicked: 0,
      failed: 0,
      lastAt: last(anh, 'ZNS'),
    },
  ]);
  expect(b).toEqual([
    expect.objectContaining({ channel: 'SMS', sent: 1, failed: 1, delivered: 0 }),
  ]);
  expect(none).toEqual([]);
});

it('shows another workspace none of it', async () => {
  const page = await tab(stranger, anh, { first: 10 });
  expect(page).toMatchObject({ totalCount: 0, edges: [] });
  const body = await subgraph.query(stranger, SUMMARY, {
    r: [{ __typename: 'Customer', id: anh }],
  });
  expect(body.data!._entities[0].marketingSummary).toEqual([]);
});

it('answers a narrow selection (the list’s, in a fragment) as the full one', async () => {
  const body = await subgraph.query(
    editor,
    `fragment Row on MarketingMessage { channel campaignName status sentAt }
     query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer {
       list: marketing(first: 5) { edges { cursor node { id ...Row } } }
       full: marketing(first: 5) { pageInfo { endCursor } edges { cursor node { id channel
         campaignName status sentAt createdAt contentSummary failureReason campaignId
         voucherCode address } } } } } }`,
    { r: [{ __typename: 'Customer', id: anh }] },
  );
  expect(body.errors).toBeUndefined();
  const { list, full } = body.data!._entities[0];
  expect(list.edges).toEqual(
    full.edges.map(({ cursor, node }: any) => ({
      cursor,
      node: {
        id: node.id,
        channel: node.channel,
        campaignName: node.campaignName,
        status: node.status,
        sentAt: node.sentAt,
      },
    })),
  );
  expect(full.edges).toHaveLength(5);
  // The queued ZNS message shows when it was queued; the last cursor ends the page.
  expect(full.edges[0].node).toMatchObject({
    channel: 'ZNS',
    sentAt: full.edges[0].node.createdAt,
  });
  expect(full.pageInfo.endCursor).toBe(full.edges[4].cursor);
});
