// A person's data export (issue 15, docs/privacy.md) through the gateway and the real
// broker: contacts asks, followers, orders-loyalty and marketing answer their parts by
// events, contacts writes one JSON document into the file store, and the admin
// downloads it at the export's url with the bearer token. Editors may not; another
// workspace does not see it; erasing the person deletes it.
import { randomUUID } from 'node:crypto';
import { appendEvent, createEvent, FOLLOWER_PHONE_SHARED } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { startTestStack } from './stack';
import type { TestStack } from './stack';
import { eventually } from './webhooks';

const ws = `ws-pexport-${randomUUID().slice(0, 8)}`;
const admin: Identity = { workspaceId: ws, userId: 'admin-1', role: 'admin' };
const editor: Identity = { workspaceId: ws, userId: 'editor-1', role: 'editor' };
let stack: TestStack;
let customerId = '';
const PHONE = '0913 222 845';

async function gql(query: string, variables?: object, who = admin) {
  const { body } = await stack.query(await stack.token(who), query, variables);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data as Record<string, any>;
}

async function download(url: string, who: Identity) {
  return fetch(new URL(url, stack.gateway.url), {
    headers: { authorization: `Bearer ${await stack.token(who)}` },
  });
}

beforeAll(async () => {
  stack = await startTestStack();
  const { createCustomer } = await gql(
    'mutation($i: CustomerInput!) { createCustomer(input: $i) { id } }',
    { i: { name: 'Đỗ Thị Xuất', phone: PHONE, email: 'xuat.do@example.vn' } },
  );
  customerId = createCustomer.id;
  await gql('mutation($id: ID!) { addCustomerNote(customerId: $id, text: "Khách quen") { id } }', {
    id: customerId,
  });
  await gql('mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created } }', {
    o: [
      {
        source: 'WEBSITE',
        code: 'PX-1',
        status: 'COMPLETED',
        buyerName: 'Đỗ Thị Xuất',
        buyerPhone: PHONE,
        items: [{ productName: 'Áo', quantity: 1, unitPrice: 120_000 }],
        subtotal: 120_000,
        total: 120_000,
        orderedAt: '2026-01-02T00:00:00Z',
        updatedAt: '2026-01-02T00:00:00Z',
      },
    ],
  });
  const followers = stack.db('followers');
  await followers.query('INSERT INTO workspace (id) VALUES ($1) ON CONFLICT DO NOTHING', [ws]);
  const [{ id: followerId }] = await followers.query(
    `INSERT INTO zalo_follower (workspace_id, zalo_user_id, display_name, followed_at, status, phone)
     VALUES ($1, 'zalo-px', 'Xuất', now(), 'FOLLOWING', '84913222845') RETURNING id`,
    [ws],
  );
  await followers.transaction((tx) =>
    appendEvent(
      tx,
      createEvent({
        type: FOLLOWER_PHONE_SHARED,
        workspaceId: ws,
        key: followerId,
        payload: {
          followerId,
          zaloUserId: 'zalo-px',
          phone: '84913222845',
          phoneE164: '+84913222845',
        },
      }),
    ),
  );
  const marketing = stack.db('marketing');
  await marketing.query('INSERT INTO workspace (id) VALUES ($1) ON CONFLICT DO NOTHING', [ws]);
  await marketing.query(
    `INSERT INTO marketing_message (workspace_id, customer_id, channel, campaign_name, address,
       content_summary, status, sent_at, created_at)
     VALUES ($1, $2, 'EMAIL', 'Tri ân', 'xuat.do@example.vn', 'Cảm ơn chị', 'DELIVERED', now(), now())`,
    [ws, customerId],
  );
  await eventually(
    () =>
      gql(
        'query($id: ID!) { customer(id: $id) { zaloFollowerCount orders(first: 1) { totalCount } } }',
        {
          id: customerId,
        },
      ),
    (d) => d.customer?.zaloFollowerCount === 1 && d.customer?.orders?.totalCount === 1,
  );
}, 120_000);
afterAll(() => stack?.stop());

it('refuses bad input and other roles, naming the argument', async () => {
  const start = 'mutation($id: ID!) { exportCustomerData(id: $id) { id } }';
  const bad = await stack.query(await stack.token(admin), start, { id: 'x' });
  expect(bad.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  const unknown = await stack.query(await stack.token(admin), start, { id: randomUUID() });
  expect(unknown.body.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
  const other = await stack.query(await stack.token({ ...admin, workspaceId: `${ws}-b` }), start, {
    id: customerId,
  });
  expect(other.body.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
  const editors = await stack.query(await stack.token(editor), start, { id: customerId });
  expect(editors.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

it('assembles one JSON document from the four subgraphs, downloaded with the token', async () => {
  const { exportCustomerData } = await gql(
    'mutation($id: ID!) { exportCustomerData(id: $id) { id customerId status file { url } } }',
    { id: customerId },
  );
  expect(exportCustomerData).toMatchObject({ customerId, status: 'PENDING', file: null });
  const ready = await eventually(
    () =>
      gql('query($id: ID!) { personExport(id: $id) { status partsReceived file { url name } } }', {
        id: exportCustomerData.id,
      }),
    (d) => d.personExport.status === 'READY',
    60_000,
  );
  const { file, partsReceived } = ready.personExport;
  expect([...partsReceived].sort()).toEqual(['followers', 'marketing', 'orders-loyalty']);
  const res = await download(file.url, admin);
  expect(res.status).toBe(200);
  const doc = (await res.json()) as Record<string, any>;
  expect(doc.customerId).toBe(customerId);
  expect(doc.contacts.customer).toMatchObject({ name: 'Đỗ Thị Xuất', email: 'xuat.do@example.vn' });
  expect(doc.contacts.phones).toEqual([{ number: PHONE, e164: '+84913222845' }]);
  expect(doc.contacts.notes.map((n: { text: string }) => n.text)).toEqual(['Khách quen']);
  expect(doc.followers.zaloFollowers).toEqual([
    expect.objectContaining({ zaloUserId: 'zalo-px', phone: '84913222845' }),
  ]);
  expect(doc['orders-loyalty'].orders).toEqual([
    expect.objectContaining({ code: 'PX-1', buyerName: 'Đỗ Thị Xuất' }),
  ]);
  expect(doc.marketing.messages).toEqual([
    expect.objectContaining({ address: 'xuat.do@example.vn', content: 'Cảm ơn chị' }),
  ]);
  // The parts are in the file now, not kept beside it.
  const [{ n }] = await stack
    .db('contacts')
    .query('SELECT count(*)::int AS n FROM person_export_part WHERE workspace_id = $1', [ws]);
  expect(n).toBe(0);
  expect((await download(file.url, editor)).status).toBe(403);
  expect((await download(file.url, { ...admin, workspaceId: `${ws}-b` })).status).toBe(404);

  // Erasing the person deletes the document that holds them.
  await gql('mutation($id: ID!) { eraseCustomer(id: $id) { id } }', { id: customerId });
  expect((await download(file.url, admin)).status).toBe(404);
}, 90_000);
