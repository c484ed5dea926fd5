// Consent on real Postgres: setChannelConsent (versions, events, access, merged ids),
// Customer.channelConsents per workspace, and a merge's union of opt-outs.
import { randomBytes, randomUUID } from 'node:crypto';
import { CONSENT_CHANGED, CUSTOMER_MERGED, createEvent } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { marketingSubgraph } from '../src';
import { consentModule } from '../src/consent/consent.module';

const SET = `mutation($id: ID!, $channel: MarketingChannel!, $out: Boolean!) {
  setChannelConsent(customerId: $id, channel: $channel, optedOut: $out) {
    channel optedOut reason changedBy changedAt } }`;
const READ = `query($id: ID!) { _entities(representations: [{ __typename: "Customer", id: $id }]) {
  ... on Customer { channelConsents { channel optedOut reason changedBy } } } }`;

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(marketingSubgraph);
});
afterAll(() => subgraph?.stop());

const who = (workspaceId: string, role: Identity['role'], userId = 'u-editor'): Identity => ({
  workspaceId,
  userId,
  role,
});
const newWs = () => `cs-${randomBytes(4).toString('hex')}`;

const published = async (ws: string) =>
  (
    (await subgraph.db.query(
      'SELECT value FROM outbox WHERE workspace_id = $1 AND topic = $2 ORDER BY seq',
      [ws, CONSENT_CHANGED],
    )) as { value: { key: string; payload: Record<string, unknown> } }[]
  ).map((r) => r.value.payload);

it('records staff changes with a version each, publishing only real changes', async () => {
  const ws = newWs();
  const id = randomUUID();
  const set = (channel: string, out: boolean) =>
    subgraph.query(who(ws, 'editor'), SET, { id, channel, out });
  const first = await set('SMS', true);
  expect(first.data!.setChannelConsent).toMatchObject({
    channel: 'SMS',
    optedOut: true,
    reason: 'STAFF',
    changedBy: 'u-editor',
  });
  await set('SMS', true);
  await set('SMS', false);
  await set('ZNS', true);
  expect(await published(ws)).toEqual([
    { customerId: id, channel: 'SMS', optedOut: true, version: 1, reason: 'STAFF' },
    { customerId: id, channel: 'SMS', optedOut: false, version: 2, reason: 'STAFF' },
    { customerId: id, channel: 'ZNS', optedOut: true, version: 1, reason: 'STAFF' },
  ]);
  const read = await subgraph.query(who(ws, 'editor'), READ, { id });
  expect(read.data!._entities[0].channelConsents).toEqual([
    { channel: 'SMS', optedOut: false, reason: 'STAFF', changedBy: 'u-editor' },
    { channel: 'ZNS', optedOut: true, reason: 'STAFF', changedBy: 'u-editor' },
  ]);
  // Another workspace's token sees none of it and changes none of it.
  const other = newWs();
  const theirs = await subgraph.query(who(other, 'admin'), READ, { id });
  expect(theirs.data!._entities[0].channelConsents).toEqual([]);
  await subgraph.query(who(other, 'admin'), SET, { id, channel: 'ZNS', out: false });
  const again = await subgraph.query(who(ws, 'editor'), READ, { id });
  expect(again.data!._entities[0].channelConsents[1]).toMatchObject({ optedOut: true });
});

it('lets staff change only customers they see, and analysts none', async () => {
  const ws = newWs();
  const id = randomUUID();
  const staff = await subgraph.query(who(ws, 'staff', 'u-staff'), SET, {
    id,
    channel: 'EMAIL',
    out: true,
  });
  expect(staff.errors).toBeUndefined();
  expect(staff.data!.setChannelConsent).toBeNull();
  const read = await subgraph.query(who(ws, 'staff', 'u-staff'), READ, { id });
  expect(read.data!._entities[0]).toBeNull();
  const analyst = await subgraph.query(who(ws, 'analyst'), SET, {
    id,
    channel: 'EMAIL',
    out: true,
  });
  expect(analyst.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(await published(ws)).toEqual([]);
});

it('refuses an unknown channel as a validation error', async () => {
  const body = await subgraph.query(who(newWs(), 'editor'), SET, {
    id: randomUUID(),
    channel: 'FAX',
    out: true,
  });
  expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

it('refuses a customer id that is not one, naming it, for every role (the access policy checks it)', async () => {
  const ws = newWs();
  for (const role of ['admin', 'editor', 'staff'] as const) {
    const body = await subgraph.query(who(ws, role), SET, {
      id: 'nope',
      channel: 'SMS',
      out: true,
    });
    expect(body.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'customerId',
    });
  }
  const [{ n }] = await subgraph.db.query(
    'SELECT count(*)::int AS n FROM channel_consent WHERE workspace_id = $1',
    [ws],
  );
  expect(n).toBe(0);
});

it('opts a merge survivor out of what any merged customer was opted out of', async () => {
  const ws = newWs();
  const [survivor, a, b] = [randomUUID(), randomUUID(), randomUUID()];
  const set = (id: string, channel: string, out: boolean) =>
    subgraph.query(who(ws, 'editor'), SET, { id, channel, out });
  await set(a, 'SMS', true);
  await set(b, 'EMAIL', true);
  await set(b, 'ZNS', false);
  await set(survivor, 'EMAIL', true);
  const merged = createEvent({
    type: CUSTOMER_MERGED,
    workspaceId: ws,
    key: survivor,
    payload: { mergeId: randomUUID(), survivorId: survivor, mergedIds: [a, b], mergedBy: 'u1' },
  });
  await applyEvents(subgraph.db, consentModule, merged, merged);
  const rows = await subgraph.db.query(
    `SELECT channel, opted_out AS "optedOut", version FROM channel_consent
      WHERE workspace_id = $1 AND customer_id = $2 ORDER BY channel`,
    [ws, survivor],
  );
  expect(rows).toEqual([
    { channel: 'EMAIL', optedOut: true, version: 1 },
    { channel: 'SMS', optedOut: true, version: 1 },
  ]);
  expect((await published(ws)).filter((p) => p.customerId === survivor)).toHaveLength(2);
});
