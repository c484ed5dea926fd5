// campaignFunnel against real Postgres (issue 17): on seeded random campaigns and
// messages (several months, split and unsplit audiences), every group is the sum of
// what its messages say, and, grouped by campaign (and part), exactly what
// Campaign.stats (and its byPart) says of each campaign; random filters of the
// campaigns select as they say. A token of one workspace never counts another's
// messages; staff get no figures, and the statement scopes them all the same; bad
// input is BAD_USER_INPUT naming it.
import { randomUUID } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { seededRandom, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { marketingSubgraph } from '../src';
import { campaignFunnel } from '../src/analytics/campaign-funnel';
import type { CampaignFunnelKey } from '../src/generated/graphql';

const ws = `funnel-${randomUUID().slice(0, 8)}`;
const other = `${ws}-other`;
const as = (role: Identity['role'], workspaceId = ws, userId: string = role): Identity => ({
  workspaceId,
  userId,
  role,
});
const analyst = as('analyst');
let subgraph: TestSubgraph;

/** Seeded: every run draws the same. */
const { random, pick, some } = seededRandom(31);

const KEYS: CampaignFunnelKey[] = ['CAMPAIGN', 'CHANNEL', 'PART', 'DAY', 'MONTH'];
const CHANNELS = ['SMS', 'EMAIL', 'ZNS', 'ZALO_OA'];
const STATUSES = ['SENDING', 'SENT', 'CANCELLED'];
const MESSAGE_STATUSES = ['QUEUED', 'SENT', 'FAILED', 'DELIVERED', 'OPENED', 'CLICKED'];
const RANK: Record<string, number> = {
  QUEUED: 0,
  SENT: 1,
  FAILED: 2,
  DELIVERED: 3,
  OPENED: 4,
  CLICKED: 5,
};
const customers = Array.from({ length: 8 }, () => ({
  id: randomUUID(),
  staff: pick(['sam', 'kim', null]),
}));

interface Campaign {
  id: string;
  channel: string;
  status: string;
  startedAt: Date;
}
interface Message {
  campaign: Campaign;
  customerId: string;
  part: number | null;
  status: string;
  sentAt: Date | null;
}
const campaigns: Campaign[] = [];
const messages: Message[] = [];
const vietnamDay = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

type Figures = Record<
  'count' | 'queued' | 'sent' | 'delivered' | 'opened' | 'clicked' | 'failed' | 'notSent',
  number
>;

function figure(ms: Message[]): Figures {
  const f = { count: 0, queued: 0, sent: 0, delivered: 0, opened: 0, clicked: 0, failed: 0 };
  const out = { ...f, notSent: 0 };
  for (const m of ms) {
    const rank = RANK[m.status];
    out.count += 1;
    if (m.status === 'QUEUED') out.queued += 1;
    if (rank >= 1 && (m.status !== 'FAILED' || m.sentAt)) out.sent += 1;
    if (rank >= 3) out.delivered += 1;
    if (rank >= 4) out.opened += 1;
    if (rank >= 5) out.clicked += 1;
    if (m.status === 'FAILED' && m.sentAt) out.failed += 1;
    if (m.status === 'FAILED' && !m.sentAt) out.notSent += 1;
  }
  return out;
}

function valueOf(m: Message, key: CampaignFunnelKey): string | null {
  switch (key) {
    case 'CAMPAIGN':
      return m.campaign.id;
    case 'CHANNEL':
      return m.campaign.channel;
    case 'PART':
      return m.part === null ? null : String(m.part);
    case 'DAY':
      return vietnamDay(m.campaign.startedAt);
    case 'MONTH':
      return vietnamDay(m.campaign.startedAt).slice(0, 7);
  }
}

function expectedGroups(ms: Message[], groupBy: CampaignFunnelKey[]): Map<string, Figures> {
  const byKey = new Map<string, Message[]>();
  for (const m of ms) {
    const key = JSON.stringify(groupBy.map((k) => valueOf(m, k)));
    byKey.set(key, [...(byKey.get(key) ?? []), m]);
  }
  return new Map([...byKey].map(([key, group]) => [key, figure(group)]));
}

async function seedCampaign(workspaceId: string, c: Campaign, parts: number | null, n: number) {
  await subgraph.db.query(
    `INSERT INTO campaign (id, workspace_id, name, channel, audience, status, started_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'e1')`,
    [
      c.id,
      workspaceId,
      `Chiến dịch ${c.id.slice(0, 4)}`,
      c.channel,
      { listId: randomUUID(), filter: null, splitParts: parts, part: null },
      c.status,
      c.startedAt,
    ],
  );
  const seededHere: Message[] = [];
  for (let i = 0; i < n; i++) {
    const status = pick(MESSAGE_STATUSES);
    seededHere.push({
      campaign: c,
      // One message per recipient: distinct customers (plus strangers past the eight).
      customerId: customers[i]?.id ?? randomUUID(),
      part: parts === null ? null : 1 + (i % parts),
      status,
      sentAt: status === 'QUEUED' || (status === 'FAILED' && random() < 0.5) ? null : c.startedAt,
    });
  }
  await subgraph.db.query(
    `INSERT INTO marketing_message (workspace_id, customer_id, campaign_id, campaign_name, channel,
       split_part, status, send_state, sent_at, created_at)
     SELECT $1, s.customer, $2, 'x', $3, s.part, s.status, 'DONE', s.sent, $4
       FROM unnest($5::uuid[], $6::int[], $7::text[], $8::timestamptz[]) AS s(customer, part, status, sent)`,
    [
      workspaceId,
      c.id,
      c.channel,
      c.startedAt,
      seededHere.map((m) => m.customerId),
      seededHere.map((m) => m.part),
      seededHere.map((m) => m.status),
      seededHere.map((m) => m.sentAt),
    ],
  );
  return seededHere;
}

beforeAll(async () => {
  subgraph = await startTestSubgraph(marketingSubgraph);
  for (const id of [ws, other]) {
    await subgraph.db.query('INSERT INTO workspace (id) VALUES ($1) ON CONFLICT DO NOTHING', [id]);
  }
  const now = Date.now();
  for (let i = 0; i < 14; i++) {
    const c = {
      id: randomUUID(),
      channel: pick(CHANNELS),
      status: pick(STATUSES),
      // Within the last three months, near Vietnam's midnights.
      startedAt: new Date(
        Math.floor((now - (1 + Math.floor(random() * 85)) * 86_400_000) / 86_400_000) * 86_400_000 +
          17 * 3_600_000 +
          (random() < 0.5 ? -1_800_000 : 1_800_000),
      ),
    };
    campaigns.push(c);
    messages.push(
      ...(await seedCampaign(ws, c, pick([null, null, 2, 3]), 5 + Math.floor(random() * 20))),
    );
  }
  // Neither a campaign's message nor a campaign that never started counts.
  await subgraph.db.query(
    `INSERT INTO marketing_message (workspace_id, customer_id, campaign_name, channel, status, created_at)
     VALUES ($1, $2, 'một tin', 'SMS', 'SENT', now())`,
    [ws, customers[0].id],
  );
  await subgraph.db.query(
    `INSERT INTO campaign (workspace_id, name, channel, audience, created_by)
     VALUES ($1, 'Nháp', 'SMS', '{"listId": null, "filter": {}, "splitParts": null, "part": null}', 'e1')`,
    [ws],
  );
  await subgraph.db.query(
    `INSERT INTO customer_access (workspace_id, customer_id, assigned_staff, deleted, occurred_at)
     SELECT $1, id, staff, false, now() FROM unnest($2::uuid[], $3::text[]) AS s(id, staff)`,
    [ws, customers.map((c) => c.id), customers.map((c) => c.staff)],
  );
}, 60_000);
afterAll(() => subgraph?.stop());

const FIGURES = 'count queued sent delivered opened clicked failed notSent';
const FUNNEL = `query($id: ID, $f: CampaignFunnelFilter, $g: [CampaignFunnelKey!]!) {
  campaignFunnel(campaignId: $id, filter: $f, groupBy: $g) {
    keys { key value } ${FIGURES} deliveryRate openRate clickRate } }`;

interface Group extends Figures {
  keys: { key: string; value: string | null }[];
  deliveryRate: number;
  openRate: number;
  clickRate: number;
}

async function funnel(who: Identity, vars: { id?: string; f?: object; g: string[] }) {
  return subgraph.query(who, FUNNEL, vars);
}

const asMap = (groups: Group[]) =>
  new Map(
    groups.map(({ keys, deliveryRate: _d, openRate: _o, clickRate: _c, ...f }) => [
      JSON.stringify(keys.map((k) => k.value)),
      f,
    ]),
  );

interface Filter {
  channel?: string[];
  status?: string[];
  startedFrom?: string;
  startedTo?: string;
}

function randomFilter(): Filter | null {
  const f: Filter = {};
  const day = () => new Date(Date.now() - random() * 90 * 86_400_000).toISOString();
  if (random() < 0.3) f.channel = some(CHANNELS, 0.5).concat('SMS');
  if (random() < 0.3) f.status = some(STATUSES, 0.5).concat('SENT');
  if (random() < 0.3) f.startedFrom = day();
  if (random() < 0.3) f.startedTo = day();
  return Object.keys(f).length > 0 ? f : null;
}

const selects = (c: Campaign, f: Filter | null) =>
  !f ||
  ((!f.channel || f.channel.includes(c.channel)) &&
    (!f.status || f.status.includes(c.status)) &&
    (!f.startedFrom || c.startedAt >= new Date(f.startedFrom)) &&
    (!f.startedTo || c.startedAt < new Date(f.startedTo)));

describe('campaignFunnel', () => {
  it('sums each group’s messages as Campaign.stats counts them, on random filters', async () => {
    let checked = 0;
    for (let iteration = 0; iteration < 3 * KEYS.length + 2; iteration++) {
      const filter = randomFilter();
      const lead = iteration < 3 * KEYS.length ? [KEYS[iteration % KEYS.length]] : [];
      const groupBy = [...new Set([...lead, ...(lead.length ? some(KEYS, 0.25) : [])])].slice(0, 3);
      const body = await funnel(analyst, { f: filter ?? undefined, g: groupBy });
      expect(body.errors).toBeUndefined();
      const groups: Group[] = body.data!.campaignFunnel;
      for (const g of groups) {
        expect(g.keys.map((k) => k.key)).toEqual(groupBy);
        expect(g.deliveryRate).toBe(g.sent ? g.delivered / g.sent : 0);
      }
      const expected = expectedGroups(
        messages.filter((m) => selects(m.campaign, filter)),
        groupBy,
      );
      // No key: the one group, zeros when nothing is selected.
      if (groupBy.length === 0 && expected.size === 0) expected.set('[]', figure([]));
      expect(new Map([...asMap(groups)].sort())).toEqual(new Map([...expected].sort()));
      checked += groups.length;
    }
    expect(checked).toBeGreaterThan(80);
  }, 60_000);

  it('is, per campaign and per part, exactly what Campaign.stats says', async () => {
    const stats = await subgraph.query(
      analyst,
      `{ campaigns(first: 100) { edges { node { id stats { total queued sent delivered opened
        clicked failed notSent byPart { part total queued sent delivered opened clicked failed notSent } } } } } }`,
    );
    expect(stats.errors).toBeUndefined();
    type Stats = Omit<Figures, 'count'> & { total: number };
    const nodes: { id: string; stats: Stats & { byPart: (Stats & { part: number })[] } }[] =
      stats.data!.campaigns.edges.map((e: { node: unknown }) => e.node);
    const asFigures = (s: Stats): Figures => ({
      count: s.total,
      queued: s.queued,
      sent: s.sent,
      delivered: s.delivered,
      opened: s.opened,
      clicked: s.clicked,
      failed: s.failed,
      notSent: s.notSent,
    });
    const byCampaign = asMap((await funnel(analyst, { g: ['CAMPAIGN'] })).data!.campaignFunnel);
    // Started campaigns with messages; the draft has none, and no group.
    expect(byCampaign.size).toBe(campaigns.length);
    for (const c of campaigns) {
      const node = nodes.find((n) => n.id === c.id)!;
      expect(byCampaign.get(JSON.stringify([c.id]))).toEqual(asFigures(node.stats));
      const parts = asMap((await funnel(analyst, { id: c.id, g: ['PART'] })).data!.campaignFunnel);
      const expected =
        node.stats.byPart.length === 0
          ? [['[null]', asFigures(node.stats)]]
          : node.stats.byPart.map((p) => [JSON.stringify([String(p.part)]), asFigures(p)]);
      expect(parts).toEqual(new Map(expected as [string, Figures][]));
    }
    // The campaign itself, when grouped by it.
    const named = await subgraph.query(
      analyst,
      `{ campaignFunnel(groupBy: [CAMPAIGN]) { keys { value } campaign { id channel } } }`,
    );
    for (const g of named.data!.campaignFunnel) {
      expect(g.campaign.id).toBe(g.keys[0].value);
    }
  });

  it('never counts another workspace’s messages', async () => {
    const theirs = {
      id: randomUUID(),
      channel: 'FACEBOOK',
      status: 'SENT',
      startedAt: new Date(Date.now() - 86_400_000),
    };
    await seedCampaign(other, theirs, null, 4);
    const mine = await funnel(analyst, { g: ['CHANNEL'] });
    expect(mine.data!.campaignFunnel.map((g: Group) => g.keys[0].value)).not.toContain('FACEBOOK');
    const total = (await funnel(analyst, { g: [] })).data!.campaignFunnel[0].count;
    expect(total).toBe(messages.length);
    // Their campaign's id, asked for by a token of this workspace: nothing.
    const asked = await funnel(analyst, { id: theirs.id, g: [] });
    expect(asked.data!.campaignFunnel[0].count).toBe(0);
    const theirFunnel = await funnel(as('analyst', other), { g: ['CHANNEL'] });
    expect(theirFunnel.data!.campaignFunnel).toMatchObject([
      { keys: [{ key: 'CHANNEL', value: 'FACEBOOK' }], count: 4 },
    ]);
  });

  it('gives figures to admins, editors and analysts only; the statement scopes staff all the same', async () => {
    for (const role of ['admin', 'editor', 'analyst'] as const) {
      expect((await funnel(as(role), { g: ['CHANNEL'] })).errors).toBeUndefined();
    }
    for (const role of ['staff', 'platform'] as const) {
      const body = await funnel(as(role), { g: ['CHANNEL'] });
      expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const scoped = await campaignFunnel(
      subgraph.db,
      ws,
      { kind: 'assigned', staffUserId: 'sam' },
      {},
      ['CAMPAIGN'],
    );
    const sams = new Set<string>(customers.filter((c) => c.staff === 'sam').map((c) => c.id));
    expect(sams.size).toBeGreaterThan(0);
    expect(
      new Map(scoped.map(({ keys, ...f }) => [JSON.stringify(keys.map((k) => k.value)), f])),
    ).toEqual(
      expectedGroups(
        messages.filter((m) => sams.has(m.customerId)),
        ['CAMPAIGN'],
      ),
    );
  });

  it('refuses bad input, naming it', async () => {
    const four = await funnel(analyst, { g: ['CAMPAIGN', 'CHANNEL', 'PART', 'DAY'] });
    expect(four.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'groupBy',
      limit: 3,
      actual: 4,
    });
    const twice = await funnel(analyst, { g: ['PART', 'PART'] });
    expect(twice.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'groupBy[1]',
    });
    const both = await funnel(analyst, { id: campaigns[0].id, f: { channel: ['SMS'] }, g: [] });
    expect(both.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter' });
    const notAnId = await funnel(analyst, { id: 'tết', g: [] });
    expect(notAnId.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'campaignId',
    });
  });
});
