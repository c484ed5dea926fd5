// marketing.audience.requested answered: a saved list's or a filter's customers, cut
// into groups as splitList cuts them, the RESTRICTED / opted-out / address-less left
// out and counted once each (in that order), batches of at most 1,000 and the end,
// through the outbox; refusals (a bad filter, an unknown or another workspace's list, a
// malformed audience) answer with no batch; a second request for a campaign publishes
// nothing. Expectations are computed here from what each customer was given.
import { randomUUID } from 'node:crypto';
import { AUDIENCE_REQUESTED, CONSENT_CHANGED, createEvent } from '@customer-graph/runtime';
import type {
  AudienceMembersPayload,
  AudienceRequestedPayload,
  AudienceResolvedPayload,
  Identity,
} from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { audienceModule } from '../src/audience/audience.module';
import { consentModule } from '../src/consent/consent.module';

const ws = 'audience-ws';
const admin: Identity = { workspaceId: ws, userId: 'boss', role: 'admin' };
const other: Identity = { workspaceId: 'audience-other-ws', userId: 'boss', role: 'admin' };
let subgraph: TestSubgraph;

interface Spec {
  restricted?: boolean;
  phone?: boolean;
  email?: boolean;
  zalo?: boolean;
  optOut?: ('SMS' | 'EMAIL')[];
}
/** 12 customers of the list, in creation order. */
const SPECS: Spec[] = [
  { phone: true, email: true, zalo: true },
  { restricted: true, phone: true },
  { phone: true, optOut: ['SMS'] },
  { email: true },
  { restricted: true, phone: true, optOut: ['SMS'] }, // restricted, counted once
  { optOut: ['SMS'] }, // opted out and no phone: counted as opted out
  { phone: true, zalo: true, email: true, optOut: ['EMAIL'] },
  { phone: true },
  { phone: true, email: true },
  {},
  { restricted: true },
  { phone: true, zalo: true },
];
/** Customer id → its spec and addresses. */
const made = new Map<string, Spec & { e164?: string; mail?: string; zaloId?: string }>();
/** The list's customers in (createdAt, id) order. */
let ordered: string[] = [];
let listId = '';

async function ok(as: Identity, query: string, variables?: Record<string, unknown>) {
  const body = await subgraph.query(as, query, variables);
  expect(body.errors).toBeUndefined();
  return body.data as Record<string, any>;
}

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
  for (const [i, spec] of SPECS.entries()) {
    const n = String(i + 1).padStart(2, '0');
    const input = {
      name: `Aud ${n}`,
      tags: ['aud'],
      phone: spec.phone ? `09120000${n}` : null,
      email: spec.email ? `aud${n}@example.com` : null,
      group: spec.restricted ? 'RESTRICTED' : null,
      externalIds: spec.zalo ? [{ source: 'ZALO', id: `zalo-${n}` }] : [],
    };
    const data = await ok(
      admin,
      `mutation($input: CustomerInput!) { createCustomer(input: $input) { id } }`,
      { input },
    );
    const id = data.createCustomer.id as string;
    made.set(id, {
      ...spec,
      e164: spec.phone ? `+849120000${n}` : undefined,
      mail: input.email ?? undefined,
      zaloId: spec.zalo ? `zalo-${n}` : undefined,
    });
    for (const channel of spec.optOut ?? []) {
      await applyEvents(
        subgraph.db,
        consentModule,
        createEvent({
          type: CONSENT_CHANGED,
          workspaceId: ws,
          key: id,
          payload: { customerId: id, channel, optedOut: true, version: 1, reason: 'UNSUBSCRIBED' },
        }),
      );
    }
  }
  const rows = await subgraph.db.query(
    `SELECT id FROM customer WHERE workspace_id = $1 AND 'aud' = ANY(tags) ORDER BY created_at, id`,
    [ws],
  );
  ordered = rows.map((r: { id: string }) => r.id);
  const list = await ok(
    admin,
    `mutation($f: CustomerFilter!) { createCustomerList(name: "Audience", filter: $f) { id } }`,
    { f: { tags: { containsAny: ['aud'] } } },
  );
  listId = list.createCustomerList.id;
});
afterAll(() => subgraph?.stop());

type Answer = { batches: AudienceMembersPayload[]; end: AudienceResolvedPayload; keys: string[] };

/** Requests an audience and reads back what was published for the campaign, in order. */
async function request(
  audience: AudienceRequestedPayload['audience'],
  channel: AudienceRequestedPayload['channel'] = 'SMS',
  campaignId = randomUUID(),
  workspaceId = ws,
): Promise<Answer> {
  await applyEvents(
    subgraph.db,
    audienceModule,
    createEvent({
      type: AUDIENCE_REQUESTED,
      workspaceId,
      key: campaignId,
      payload: { campaignId, channel, audience },
    }),
  );
  return published(campaignId);
}

async function published(campaignId: string): Promise<Answer> {
  const rows: { key: string; topic: string; value: { payload: unknown } }[] =
    await subgraph.db.query(
      `SELECT key, topic, value FROM outbox WHERE value->'payload'->>'campaignId' = $1 ORDER BY seq`,
      [campaignId],
    );
  const end = rows.filter((r) => r.topic === 'contacts.audience.resolved');
  expect(end).toHaveLength(1);
  expect(rows[rows.length - 1].topic).toBe('contacts.audience.resolved');
  return {
    batches: rows
      .filter((r) => r.topic === 'contacts.audience.members')
      .map((r) => r.value.payload as AudienceMembersPayload),
    end: end[0].value.payload as AudienceResolvedPayload,
    keys: rows.map((r) => r.key),
  };
}

type Channel = AudienceRequestedPayload['channel'];

/** What the audience of `ids` on `channel` must be, from the specs alone. */
function expected(ids: string[], channel: Channel, part: number | null = null) {
  const excluded = { restricted: 0, optedOut: 0, noAddress: 0 };
  const members: { customerId: string; address: string; part: number | null }[] = [];
  for (const id of ids) {
    const c = made.get(id)!;
    const address =
      channel === 'SMS' || channel === 'ZNS'
        ? c.e164
        : channel === 'EMAIL'
          ? c.mail
          : channel === 'ZALO_OA' || channel === 'ZALO_BULK'
            ? c.zaloId
            : undefined;
    if (c.restricted) excluded.restricted++;
    else if ((c.optOut ?? []).includes(channel as 'SMS')) excluded.optedOut++;
    else if (!address) excluded.noAddress++;
    else members.push({ customerId: id, address, part });
  }
  return { members, excluded };
}

const membersOf = (a: Answer) => a.batches.flatMap((b) => b.members);

describe('a saved list', () => {
  it.each<Channel>(['SMS', 'EMAIL', 'ZNS', 'ZALO_OA', 'FACEBOOK'])(
    'on %s: members in list order with their address, the left-out counted once each',
    async (channel) => {
      const answer = await request({ listId }, channel);
      const want = expected(ordered, channel);
      expect(membersOf(answer)).toEqual(want.members);
      expect(answer.end).toEqual({
        campaignId: answer.end.campaignId,
        batches: want.members.length > 0 ? 1 : 0,
        members: want.members.length,
        excluded: want.excluded,
        refused: null,
      });
      expect(answer.batches.map((b) => b.batch)).toEqual(want.members.length > 0 ? [1] : []);
      expect(new Set(answer.keys)).toEqual(new Set([answer.end.campaignId]));
    },
  );

  it('counts exactly on SMS: 3 restricted, 2 opted out, 2 without a phone', async () => {
    const answer = await request({ listId }, 'SMS');
    expect(answer.end.excluded).toEqual({ restricted: 3, optedOut: 2, noAddress: 2 });
    expect(answer.end.members).toBe(5);
  });

  it('keeps only the part asked for, each member tagged with it, as splitList cuts the list', async () => {
    const answer = await request({ listId, splitParts: 3, part: 2 }, 'SMS');
    const group = ordered.slice(4, 8); // 12 into 3: rows 5–8 are part 2
    expect(membersOf(answer)).toEqual(expected(group, 'SMS', 2).members);
    expect(answer.end.excluded).toEqual(expected(group, 'SMS').excluded);
    const split = await ok(
      admin,
      `mutation($id: ID!) { splitList(id: $id, parts: 3) { part size first { id } last { id } } }`,
      { id: listId },
    );
    expect(split.splitList[1]).toMatchObject({
      part: 2,
      size: 4,
      first: { id: group[0] },
      last: { id: group[3] },
    });
  });

  it('tags every member with its group when split without a part', async () => {
    const answer = await request({ listId, splitParts: 5 }, 'EMAIL');
    // 12 into 5: 3, 3, 2, 2, 2.
    const partOf = (i: number) => (i < 3 ? 1 : i < 6 ? 2 : i < 8 ? 3 : i < 10 ? 4 : 5);
    const want = ordered.flatMap((id, i) => expected([id], 'EMAIL', partOf(i)).members);
    expect(membersOf(answer)).toEqual(want);
  });
});

describe('a filter', () => {
  it('is compiled as the list language compiles it', async () => {
    const filter = { tags: { containsAny: ['aud'] }, email: { isNotEmpty: true } };
    const answer = await request({ filter }, 'EMAIL');
    const withEmail = ordered.filter((id) => made.get(id)!.mail);
    expect(membersOf(answer)).toEqual(expected(withEmail, 'EMAIL').members);
    expect(answer.end.excluded).toEqual({ restricted: 0, optedOut: 1, noAddress: 0 });
  });

  it('batches by 1,000 in order, numbered from 1', async () => {
    const big = 'audience-big-ws';
    await subgraph.db.query('INSERT INTO workspace (id) VALUES ($1) ON CONFLICT DO NOTHING', [big]);
    await subgraph.db.query(
      `INSERT INTO customer (workspace_id, email, tags, created_at)
       SELECT $1, 'b' || n || '@example.com', '{big}', now() - n * interval '1 second'
         FROM generate_series(1, 2500) AS n`,
      [big],
    );
    const answer = await request(
      { filter: { tags: { containsAll: ['big'] } } },
      'EMAIL',
      undefined,
      big,
    );
    expect(answer.batches.map((b) => [b.batch, b.members.length])).toEqual([
      [1, 1000],
      [2, 1000],
      [3, 500],
    ]);
    expect(answer.end).toMatchObject({ batches: 3, members: 2500, refused: null });
    const emails = membersOf(answer).map((m) => m.address);
    expect(emails[0]).toBe('b2500@example.com'); // the oldest first
    expect(new Set(emails).size).toBe(2500);
  });
});

describe('refusals', () => {
  it.each([
    [
      'a filter the language refuses',
      { filter: { name: { gt: 'x' } } },
      /^BAD_FILTER: audience\.name\.gt: /,
    ],
    ['an unknown list', { listId: randomUUID() }, /^UNKNOWN_LIST: /],
    ['both a list and a filter', { listId: randomUUID(), filter: {} }, /^BAD_AUDIENCE: /],
    ['a part past the split', { filter: {}, splitParts: 2, part: 3 }, /^BAD_AUDIENCE: /],
    ['a part without a split', { filter: {}, part: 1 }, /^BAD_AUDIENCE: /],
  ])('answers %s with refused and no batch', async (_what, audience, reason) => {
    const answer = await request(audience as AudienceRequestedPayload['audience']);
    expect(answer.batches).toEqual([]);
    expect(answer.end).toMatchObject({
      batches: 0,
      members: 0,
      excluded: { restricted: 0, optedOut: 0, noAddress: 0 },
    });
    expect(answer.end.refused).toMatch(reason);
  });

  it('refuses another workspace’s list', async () => {
    const answer = await request({ listId }, 'SMS', randomUUID(), other.workspaceId);
    expect(answer.end.refused).toMatch(/^UNKNOWN_LIST: /);
    expect(answer.batches).toEqual([]);
  });
});

it('publishes nothing for a second request of a campaign (a redelivery under a new event id)', async () => {
  const campaignId = randomUUID();
  const first = await request({ listId }, 'SMS', campaignId);
  const [{ n: before }] = await subgraph.db.query('SELECT count(*)::int AS n FROM outbox');
  const again = await request({ filter: {} }, 'EMAIL', campaignId);
  const [{ n: after }] = await subgraph.db.query('SELECT count(*)::int AS n FROM outbox');
  expect(after).toBe(before);
  expect(again).toEqual(first);
});
