// A campaign end to end, through the gateway and the real broker (docs/marketing.md):
// customers and a saved list in contacts; an opt-out set in marketing reaches contacts
// (marketing.consent.changed); starting the campaign asks contacts for the audience
// (marketing.audience.requested → contacts.audience.members / resolved), leaving out the
// RESTRICTED, the opted-out and those without an email; the sender hands each member's
// message to the sandbox provider, which later posts delivery reports to the gateway's
// /webhooks/email, signed; the customer's Marketing tab shows the timeline.
import { randomUUID } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { eventually } from './webhooks';
import { startTestStack } from './stack';
import type { TestStack } from './stack';

let stack: TestStack;
let token: string;
const ws = `campaign-e2e-${randomUUID().slice(0, 8)}`;
const admin: Identity = { workspaceId: ws, userId: 'admin-1', role: 'admin' };

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.token(admin);
}, 120_000);
afterAll(() => stack?.stop());

async function ok(query: string, variables: object = {}) {
  const { body } = await stack.query(token, query, variables);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data as Record<string, any>;
}

const CREATE = `mutation($i: CustomerInput!) { createCustomer(input: $i) { id } }`;
const TAB = `query($c: ID!) { customer(id: $c) {
  marketing(first: 5) { totalCount edges { node { channel status address campaignId
    timeline { status at } } } } } }`;
const tabsOf = (ids: string[]) =>
  Promise.all(ids.map(async (c) => (await ok(TAB, { c })).customer));

it('sends to the list minus the restricted, the opted out and those without an email, and shows what the provider reported', async () => {
  const tag = `vip-${randomUUID().slice(0, 6)}`;
  const make = (name: string, extra: object) =>
    ok(CREATE, { i: { name, tags: [tag], ...extra } }).then((d) => d.createCustomer.id as string);
  const reached = [
    await make('Lan', { email: 'lan@example.vn' }),
    await make('Minh', { email: 'minh@example.vn' }),
    await make('Hoa', { email: 'hoa@example.vn' }),
  ];
  const restricted = await make('Tú', { email: 'tu@example.vn', group: 'RESTRICTED' });
  const optedOut = await make('Nam', { email: 'nam@example.vn' });
  const noEmail = await make('Bình', { phone: '0912 345 678' });

  // The opt-out is marketing's; contacts hears of it before the audience is asked for.
  await ok(
    `mutation($c: ID!) { setChannelConsent(customerId: $c, channel: EMAIL, optedOut: true) { optedOut } }`,
    { c: optedOut },
  );
  await eventually(
    async () =>
      (await ok(`query($c: ID!) { customer(id: $c) { optedOutChannels } }`, { c: optedOut }))
        .customer.optedOutChannels,
    (channels) => channels.includes('EMAIL'),
    20_000,
  );

  const list = await ok(
    `mutation($f: CustomerFilter!) { createCustomerList(name: "VIP", filter: $f) { id } }`,
    { f: { tags: { containsAny: [tag] } } },
  );
  const { createCampaign } = await ok(
    `mutation($i: CampaignInput!) { createCampaign(input: $i) { id status } }`,
    {
      i: {
        name: 'Tri ân khách VIP',
        channel: 'EMAIL',
        contentSummary: 'Mã giảm 10%',
        audience: { listId: list.createCustomerList.id },
      },
    },
  );
  expect(createCampaign.status).toBe('DRAFT');
  await ok(`mutation($id: ID!) { startCampaign(id: $id) { status } }`, { id: createCampaign.id });

  const CAMPAIGN = `query($id: ID!) { campaign(id: $id) { status
    audienceCount { members restricted optedOut noAddress }
    stats { total sent queued } } }`;
  const sent = await eventually(
    async () => (await ok(CAMPAIGN, { id: createCampaign.id })).campaign,
    (c) => c.status === 'SENT',
    30_000,
  );
  expect(sent.audienceCount).toEqual({ members: 3, restricted: 1, optedOut: 1, noAddress: 1 });
  expect(sent.stats).toMatchObject({ total: 3, sent: 3, queued: 0 });

  // The sandbox reports each message within 10 s, through the gateway's webhook.
  const tabs = await eventually(
    () => tabsOf(reached),
    (entities) =>
      entities.every(
        (e: { marketing: { edges: { node: { timeline: unknown[] } }[] } }) =>
          e.marketing.edges.length === 1 && e.marketing.edges[0].node.timeline.length >= 2,
      ),
    40_000,
  );
  for (const tab of tabs) {
    const [message] = tab.marketing.edges.map((e: { node: unknown }) => e.node);
    expect(message).toMatchObject({ channel: 'EMAIL', campaignId: createCampaign.id });
    expect(message.timeline[0].status).toBe('SENT');
    expect(['DELIVERED', 'OPENED', 'CLICKED', 'FAILED']).toContain(message.status);
    expect(message.address).toMatch(/@example\.vn$/);
  }
  const left = await tabsOf([restricted, optedOut, noEmail]);
  expect(left.map((e: { marketing: { totalCount: number } }) => e.marketing.totalCount)).toEqual([
    0, 0, 0,
  ]);
}, 150_000);

it('gives each member a code of the voucher campaign (issued by orders-loyalty) and sends it in the message', async () => {
  const tag = `tet-${randomUUID().slice(0, 6)}`;
  const ids = await Promise.all(
    ['An', 'Bảo'].map(async (name, i) => {
      const d = await ok(CREATE, { i: { name, tags: [tag], email: `${tag}-${i}@example.vn` } });
      return d.createCustomer.id as string;
    }),
  );
  const day = 86_400_000;
  const { createVoucherCampaign } = await ok(
    `mutation($i: VoucherCampaignInput!) { createVoucherCampaign(input: $i) { id } }`,
    {
      i: {
        name: 'Tết',
        valueType: 'PERCENT',
        value: 10,
        validFrom: new Date(Date.now() - day).toISOString(),
        validTo: new Date(Date.now() + 30 * day).toISOString(),
        limitPerCustomer: 1,
      },
    },
  );
  const { createCampaign } = await ok(
    `mutation($i: CampaignInput!) { createCampaign(input: $i) { id } }`,
    {
      i: {
        name: 'Lì xì Tết',
        channel: 'EMAIL',
        voucherCampaignId: createVoucherCampaign.id,
        audience: { filter: { tags: { containsAny: [tag] } } },
      },
    },
  );
  await ok(`mutation($id: ID!) { startCampaign(id: $id) { status } }`, { id: createCampaign.id });
  await eventually(
    async () =>
      (await ok(`query($id: ID!) { campaign(id: $id) { status } }`, { id: createCampaign.id }))
        .campaign.status,
    (status) => status === 'SENT',
    30_000,
  );
  const VOUCHERS = `query($c: ID!) { customer(id: $c) {
    vouchers { edges { node { code note } } }
    marketing(first: 1) { edges { node { voucherCode } } } } }`;
  for (const id of ids) {
    const { customer } = await ok(VOUCHERS, { c: id });
    const codes = customer.vouchers.edges.map((e: { node: { code: string } }) => e.node.code);
    expect(codes).toHaveLength(1);
    expect(customer.marketing.edges[0].node.voucherCode).toBe(codes[0]);
  }
}, 120_000);
