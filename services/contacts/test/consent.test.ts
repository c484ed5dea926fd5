// marketing.consent.changed projected: per (customer, channel) only a newer version
// applies (late and redelivered events change nothing), a run keeps each pair's
// newest, the customer's opted_out_channels follows (sorted, distinct) without moving
// updatedAt; another workspace's event or an unknown id stores nothing; the list filter
// `optedOutChannels` and `Customer.optedOutChannels`, not across workspaces; a merge
// unions the customers' opt-outs, and a late event of the merged id still counts.
import { randomUUID } from 'node:crypto';
import { CONSENT_CHANGED, createEvent, createLogger } from '@customer-graph/runtime';
import type { ConsentChangedPayload, Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';
import { consentModule } from '../src/consent/consent.module';
import { onConsentChanged } from '../src/consent/consent-changed.handler';

const ws = 'consent-ws';
const admin: Identity = { workspaceId: ws, userId: 'boss', role: 'admin' };
const other: Identity = { workspaceId: 'consent-other-ws', userId: 'boss', role: 'admin' };
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
});
afterAll(() => subgraph?.stop());

async function ok(as: Identity, query: string, variables?: Record<string, unknown>) {
  const body = await subgraph.query(as, query, variables);
  expect(body.errors).toBeUndefined();
  return body.data as Record<string, any>;
}

async function create(name: string, as = admin, tags: string[] = []): Promise<string> {
  const data = await ok(
    as,
    `mutation($input: CustomerInput!) { createCustomer(input: $input) { id } }`,
    {
      input: { name, tags },
    },
  );
  return data.createCustomer.id;
}

function consent(
  customerId: string,
  channel: ConsentChangedPayload['channel'],
  version: number,
  optedOut: boolean,
  workspaceId = ws,
) {
  return createEvent({
    type: CONSENT_CHANGED,
    workspaceId,
    key: customerId,
    payload: {
      customerId,
      channel,
      optedOut,
      version,
      reason: optedOut ? 'UNSUBSCRIBED' : 'STAFF',
    },
  });
}

const apply = (...events: ReturnType<typeof consent>[]) =>
  applyEvents(subgraph.db, consentModule, ...events);

async function channels(id: string): Promise<string[]> {
  const [r] = await subgraph.db.query(
    'SELECT opted_out_channels AS c FROM customer WHERE id = $1',
    [id],
  );
  return r.c;
}

async function updatedAt(id: string): Promise<Date> {
  const [r] = await subgraph.db.query('SELECT updated_at FROM customer WHERE id = $1', [id]);
  return r.updated_at;
}

describe('the projection', () => {
  it('applies only newer versions per channel, sorted, and leaves updatedAt', async () => {
    const id = await create('Lan');
    const before = await updatedAt(id);
    await apply(consent(id, 'SMS', 2, true), consent(id, 'EMAIL', 1, true));
    expect(await channels(id)).toEqual(['EMAIL', 'SMS']);
    // Late (v1) and redelivered (v2 again, saying otherwise): nothing changes.
    await apply(consent(id, 'SMS', 1, false), consent(id, 'SMS', 2, false));
    expect(await channels(id)).toEqual(['EMAIL', 'SMS']);
    await apply(consent(id, 'SMS', 3, false));
    expect(await channels(id)).toEqual(['EMAIL']);
    expect(await updatedAt(id)).toEqual(before);
    const data = await ok(admin, 'query($id: ID!) { customer(id: $id) { optedOutChannels } }', {
      id,
    });
    expect(data.customer.optedOutChannels).toEqual(['EMAIL']);
  });

  it('takes the newest event of each (customer, channel) in a run, whatever their order', async () => {
    const [a, b] = [await create('A'), await create('B')];
    const run = [
      consent(a, 'ZNS', 3, false),
      consent(a, 'ZNS', 1, true),
      consent(b, 'ZALO_OA', 1, true),
      consent(a, 'ZNS', 2, true),
      consent(b, 'ZALO_OA', 2, true),
      consent(a, 'FACEBOOK', 1, true),
    ];
    await subgraph.db.transaction((tx) => onConsentChanged.batch(tx, run, createLogger('error')));
    expect(await channels(a)).toEqual(['FACEBOOK']);
    expect(await channels(b)).toEqual(['ZALO_OA']);
    const rows = await subgraph.db.query(
      `SELECT channel, opted_out, version::int FROM customer_channel_consent
        WHERE workspace_id = $1 AND customer_id = $2 ORDER BY channel`,
      [ws, a],
    );
    expect(rows).toEqual([
      { channel: 'FACEBOOK', opted_out: true, version: 1 },
      { channel: 'ZNS', opted_out: false, version: 3 },
    ]);
  });

  it('stores nothing for another workspace’s customer or an unknown id', async () => {
    const mine = await create('Mine');
    const theirs = await create('Theirs', other);
    await apply(
      consent(mine, 'SMS', 1, true, other.workspaceId),
      consent(theirs, 'SMS', 1, true, ws),
      consent(randomUUID(), 'SMS', 1, true),
    );
    expect(await channels(mine)).toEqual([]);
    expect(await channels(theirs)).toEqual([]);
    const [{ n }] = await subgraph.db.query(
      `SELECT count(*)::int AS n FROM customer_channel_consent WHERE customer_id = ANY($1::uuid[])`,
      [[mine, theirs]],
    );
    expect(n).toBe(0);
  });
});

describe('the filter', () => {
  const LIST = `query($f: CustomerFilter) {
    customers(filter: $f, first: 50) { edges { node { id optedOutChannels } } } }`;
  const ids = async (as: Identity, f: object) =>
    ((await ok(as, LIST, { f })).customers.edges as { node: { id: string } }[])
      .map((e) => e.node.id)
      .sort();
  let sms: string, both: string, none: string, theirs: string;

  beforeAll(async () => {
    sms = await create('sms', admin, ['flt']);
    both = await create('both', admin, ['flt']);
    none = await create('none', admin, ['flt']);
    theirs = await create('theirs', other, ['flt']);
    await apply(
      consent(sms, 'SMS', 1, true),
      consent(both, 'SMS', 1, true),
      consent(both, 'ZNS', 1, true),
      consent(theirs, 'SMS', 1, true, other.workspaceId),
    );
  });

  const tagged = (f: object) => ({ tags: { containsAny: ['flt'] }, optedOutChannels: f });

  it('selects by the tag operators over the channels', async () => {
    expect(await ids(admin, tagged({ containsAny: ['SMS'] }))).toEqual([sms, both].sort());
    expect(await ids(admin, tagged({ containsAll: ['SMS', 'ZNS'] }))).toEqual([both]);
    expect(await ids(admin, tagged({ isEmpty: true }))).toEqual([none]);
    expect(await ids(admin, tagged({ isNotEmpty: true }))).toEqual([sms, both].sort());
    expect(
      await ids(admin, {
        tags: { containsAny: ['flt'] },
        not: { optedOutChannels: { containsAny: ['ZNS'] } },
      }),
    ).toEqual([sms, none].sort());
  });

  it('never shows another workspace’s customers', async () => {
    expect(await ids(other, tagged({ containsAny: ['SMS'] }))).toEqual([theirs]);
    expect(await ids(admin, { id: { eq: theirs } })).toEqual([]);
  });

  it('refuses an unknown channel naming the field (saved list filter as data too)', async () => {
    const body = await subgraph.query(
      admin,
      `mutation($f: CustomerFilter!) { createCustomerList(name: "bad consent", filter: $f) { id } }`,
      { f: { optedOutChannels: { isEmpty: 'yes' } } },
    );
    expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const refused = await subgraph.query(admin, LIST, {
      f: { optedOutChannels: { containsAny: ['FAX'] } },
    });
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('a merge', () => {
  const MERGE = `mutation($s: ID!, $m: [ID!]!) {
    mergeCustomers(survivorId: $s, mergedIds: $m) { survivor { id optedOutChannels } } }`;

  it('opts the survivor out of every channel any merged customer was; a late event of a merged id still counts', async () => {
    const [s, m1, m2] = [await create('S'), await create('M1'), await create('M2')];
    await apply(
      consent(s, 'SMS', 1, true),
      consent(s, 'EMAIL', 1, false),
      consent(m1, 'EMAIL', 4, true),
      consent(m2, 'ZNS', 1, true),
    );
    const data = await ok(admin, MERGE, { s, m: [m1, m2] });
    expect(data.mergeCustomers.survivor.optedOutChannels).toEqual(['EMAIL', 'SMS', 'ZNS']);
    expect(await channels(s)).toEqual(['EMAIL', 'SMS', 'ZNS']);
    // m1 opted back in (its own version 5, published before the merge, arriving after).
    await apply(consent(m1, 'EMAIL', 5, false));
    expect(await channels(s)).toEqual(['SMS', 'ZNS']);
    // The survivor's own later opt-out of EMAIL.
    await apply(consent(s, 'EMAIL', 2, true));
    expect(await channels(s)).toEqual(['EMAIL', 'SMS', 'ZNS']);
    // Staff opt the survivor back in to ZNS: m2's opt-out no longer holds.
    await apply(consent(s, 'ZNS', 1, false));
    expect(await channels(s)).toEqual(['EMAIL', 'SMS']);
  });
});
