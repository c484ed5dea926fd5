// Customer.orders reads only the columns of the Order fields a request selects
// (order.pages.ts): every Order field of the SDL is mapped to its columns, and the
// list page's lean rows answer exactly what full rows answer, with fragments too.
import { randomUUID } from 'node:crypto';
import { Kind, parse } from 'graphql';
import type { ObjectTypeDefinitionNode } from 'graphql';
import { readRepoFile } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { ordersLoyaltySubgraph } from '../src';
import { FIELD_COLUMNS, selectedColumns } from '../src/orders/order.pages';

const editor: Identity = {
  workspaceId: `pages-${randomUUID().slice(0, 8)}`,
  userId: 'e1',
  role: 'editor',
};

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(ordersLoyaltySubgraph);
});
afterAll(() => subgraph?.stop());

const ALL_FIELDS = `id code source status statusHistory { status at } buyerName buyerPhone
  buyerPhoneE164 buyerEmail shipping { address carrier trackingCode fee } note
  items { sku productName variant quantity unitPrice discount } subtotal discountTotal
  shippingFee total voucherCode voucherRejection orderedAt updatedAt customer { id } detailsPending`;
const LIST_FIELDS = 'id code source status total orderedAt';

const tab = (selection: string, fragments = '') => `query($r: [_Any!]!) {
  _entities(representations: $r) { ... on Customer { id orders(first: 5) { ${selection} } } } }
  ${fragments}`;

it('maps every Order field of the SDL to the columns it reads', () => {
  const sdl = parse(readRepoFile('schema/orders-loyalty.graphql'));
  const order = sdl.definitions.find(
    (d): d is ObjectTypeDefinitionNode =>
      d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Order',
  );
  const fields = order!.fields!.map((f) => f.name.value).sort();
  expect(fields.length).toBeGreaterThan(20);
  expect(
    Object.keys(FIELD_COLUMNS)
      .filter((f) => f !== '__typename')
      .sort(),
  ).toEqual(fields);
});

it('reads the list page’s columns only, and reads every column for a field it does not know', () => {
  const info = (query: string) => {
    const document = parse(query);
    const fragments = Object.fromEntries(
      document.definitions.flatMap((d) =>
        d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [],
      ),
    );
    // _entities { ... on Customer { id orders { … } } }: the orders field.
    type Node = { selectionSet: { selections: Node[] } };
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    const entities = (operation as unknown as Node).selectionSet.selections[0];
    const onCustomer = entities.selectionSet.selections[0];
    const field = onCustomer.selectionSet.selections[1];
    return { fieldNodes: [field], fragments } as never;
  };
  const query = (selection: string, fragments = '') =>
    `query { _entities(representations: []) { ... on Customer { id orders(first: 5) { ${selection} } } } } ${fragments}`;
  expect(selectedColumns(info(query(`edges { node { ${LIST_FIELDS} } }`)))).toBe(
    'code,customerId,id,orderedAt,source,status,total',
  );
  expect(
    selectedColumns(
      info(
        query(
          'edges { node { ...O ... on Order { shipping { fee } } } } totalCount',
          'fragment O on Order { note }',
        ),
      ),
    ),
  ).toBe('customerId,id,note,orderedAt,shippingAddress,shippingCarrier,shippingFee,trackingCode');
  expect(selectedColumns(info(query('edges { node { id somethingNew } }'))).split(',')).toContain(
    'items',
  );
});

it('answers with lean rows exactly what full rows answer', async () => {
  const [lan, hoa] = [randomUUID(), randomUUID()];
  const orders = Array.from({ length: 7 }, (_, i) => ({
    source: i % 2 ? 'SHOPEE' : 'POS',
    code: `P-${i}`,
    status: ['PENDING', 'COMPLETED', 'CANCELLED'][i % 3],
    customerId: i < 4 ? lan : hoa,
    buyerName: `Người mua ${i}`,
    buyerPhone: '0912 000 00' + i,
    shippingAddress: `${i} Lê Lợi`,
    note: i % 2 ? 'gói quà' : null,
    items: [{ productName: 'Áo', sku: `SKU-${i}`, quantity: 2, unitPrice: 50_000 + i }],
    subtotal: 2 * (50_000 + i),
    shippingFee: 15_000,
    total: 2 * (50_000 + i) + 15_000,
    orderedAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
    updatedAt: new Date(Date.UTC(2026, 0, 2 + i)).toISOString(),
  }));
  const up = await subgraph.query(
    editor,
    `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created rejected { field } } }`,
    { o: orders },
  );
  expect(up.data!.upsertOrders).toEqual({ created: 7, rejected: [] });
  const r = [lan, hoa, randomUUID()].map((id) => ({ __typename: 'Customer', id }));
  const full = await subgraph.query(
    editor,
    tab(`edges { cursor node { ${ALL_FIELDS} } } pageInfo { hasNextPage endCursor }`),
    { r },
  );
  const lean = await subgraph.query(
    editor,
    tab(
      `edges { node { ...L } } pageInfo { hasNextPage }`,
      `fragment L on Order { ${LIST_FIELDS} }`,
    ),
    { r },
  );
  expect(full.errors).toBeUndefined();
  expect(lean.errors).toBeUndefined();
  const pick = (node: Record<string, unknown>) =>
    Object.fromEntries(LIST_FIELDS.split(' ').map((f) => [f, node[f]]));
  const expected = full.data!._entities.map((c: any) => ({
    id: c.id,
    orders: {
      edges: c.orders.edges.map((e: any) => ({ node: pick(e.node) })),
      pageInfo: { hasNextPage: c.orders.pageInfo.hasNextPage },
    },
  }));
  expect(lean.data!._entities).toEqual(expected);
  expect(expected[0].orders.edges).toHaveLength(4);
  expect(full.data!._entities[0].orders.edges[0].node).toMatchObject({
    code: 'P-3',
    buyerName: 'Người mua 3',
    shipping: { address: '3 Lê Lợi', fee: 15_000 },
    items: [{ sku: 'SKU-3', quantity: 2 }],
    customer: { id: lan },
  });
  // A cursor of a lean page continues the list as a full page's does.
  const next = await subgraph.query(
    editor,
    `query($r: [_Any!]!, $a: String) { _entities(representations: $r) { ... on Customer {
      orders(first: 2, after: $a) { edges { node { code } } } } } }`,
    { r: [r[0]], a: full.data!._entities[0].orders.edges[1].cursor },
  );
  expect(next.data!._entities[0].orders.edges.map((e: any) => e.node.code)).toEqual(['P-1', 'P-0']);
});
