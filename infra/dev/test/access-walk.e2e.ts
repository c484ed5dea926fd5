// The access policy, walked (issue 10): every path of the composed graph that reaches
// customer data — each root field, the tabs, ZaloFollower.customer, Order.customer —
// and each subgraph's `_entities`, asked as each role, compared with the policy:
// admin, editor and analyst see every customer; staff see their own, and the tasks and
// opportunities in their hands on anyone's customer (not that customer); a staff
// member with none, and `platform`, see none. The queries are derived from the graph the
// gateway serves (introspected), so a new root field or tab is walked without
// touching this file; a new root field with required arguments fails here until the
// walk is told what to pass.
import { randomUUID } from 'node:crypto';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isInterfaceType,
  getNullableType,
  isLeafType,
  isListType,
  isNonNullType,
  isUnionType,
  parse,
} from 'graphql';
import type { GraphQLField, GraphQLNamedType, GraphQLObjectType, GraphQLSchema } from 'graphql';
import { SUBGRAPH_NAMES } from '@customer-graph/runtime';
import type { Identity, Role } from '@customer-graph/runtime';
import { startTestStack } from './stack';
import type { TestStack } from './stack';

const ws = `ws-walk-${randomUUID().slice(0, 8)}`;
const as = (role: Role, userId = `${role}-1`): Identity => ({ workspaceId: ws, userId, role });
const CALLERS: Record<string, Identity> = {
  admin: as('admin'),
  editor: as('editor'),
  analyst: as('analyst'),
  'staff sam': as('staff', 'sam'),
  'staff with no customer': as('staff', 'nobody'),
  platform: as('platform'),
};
/** The types that carry one customer's data, and how a row names its customer. */
const CUSTOMER_DATA = [
  'Customer',
  'ZaloFollower',
  'Order',
  'Review',
  'Voucher',
  'MarketingMessage',
  'CustomerNote',
  'Task',
  'Opportunity',
  'Call',
];

let stack: TestStack;
let schema: GraphQLSchema;
const customers: Record<'sam' | 'kim' | 'none', { id: string; phone: string }> = {
  sam: { id: '', phone: '0901111001' },
  kim: { id: '', phone: '0901111002' },
  none: { id: '', phone: '0901111003' },
};
/** Every row of customer data seeded, by type and id → the customer it is about. */
const owner = new Map<string, string | null>();
/**
 * Rows a staff member sees whatever customer they are about: a task assigned to them,
 * an opportunity they own (of the customer itself, nothing). Row → that user id.
 */
const seenBy = new Map<string, string>();
let listId = '';

async function gql(who: Identity, query: string, variables?: object) {
  const { body } = await stack.query(await stack.token(who), query, variables);
  return body;
}

beforeAll(async () => {
  stack = await startTestStack();
  const admin = CALLERS.admin;
  for (const [staff, c] of Object.entries(customers)) {
    const body = await gql(
      admin,
      `mutation($input: CustomerInput!) { createCustomer(input: $input) { id } }`,
      {
        input: {
          name: `Khách ${staff}`,
          phone: c.phone,
          // A number they all share: each is in the others' sameNumberCustomers.
          otherPhones: ['0901111000'],
          assignedStaff: staff === 'none' ? null : staff,
        },
      },
    );
    c.id = (body.data!.createCustomer as { id: string }).id;
    owner.set(`Customer:${c.id}`, c.id);
    const note = await gql(
      admin,
      `mutation($id: ID!) { addCustomerNote(customerId: $id, text: "ghi chú") { id } }`,
      { id: c.id },
    );
    owner.set(`CustomerNote:${(note.data!.addCustomerNote as { id: string }).id}`, c.id);
    // A task and an opportunity of each customer, in the hands of someone else …
    await seedWork(admin, c.id, 'lee');
  }
  // … and on Kim's customer, one of each in Sam's hands: Sam sees them, not the customer.
  await seedWork(admin, customers.kim.id, 'sam');
  // A call with each customer, found by its number.
  const calls = await gql(
    admin,
    `mutation($calls: [CallInput!]!) { recordCalls(calls: $calls) { created } }`,
    {
      calls: Object.values(customers).map((c, i) => ({
        providerCallId: `walk-${i}`,
        hotline: '1900 6868',
        customerNumber: c.phone,
        direction: 'INBOUND',
        result: 'ANSWERED',
        startedAt: new Date().toISOString(),
        talkDuration: 30,
        staff: 'sam',
      })),
    },
  );
  if (calls.errors) throw new Error(JSON.stringify(calls.errors));
  for (const row of await stack
    .db('contacts')
    .query('SELECT id, customer_id FROM customer_call WHERE workspace_id = $1', [ws])) {
    owner.set(`Call:${row.id}`, row.customer_id);
  }
  // A voucher code for each customer.
  const campaign = await gql(
    admin,
    `mutation($i: VoucherCampaignInput!) { createVoucherCampaign(input: $i) { id } }`,
    {
      i: {
        name: 'Tri ân',
        valueType: 'FIXED',
        value: 20_000,
        validFrom: new Date(Date.now() - 86_400_000).toISOString(),
        validTo: new Date(Date.now() + 86_400_000).toISOString(),
      },
    },
  );
  if (campaign.errors) throw new Error(JSON.stringify(campaign.errors));
  const issued = await gql(
    admin,
    `mutation($c: ID!, $ids: [ID!]!) { issueVouchers(campaignId: $c, customerIds: $ids) { id } }`,
    {
      c: (campaign.data!.createVoucherCampaign as { id: string }).id,
      ids: Object.values(customers).map((c) => c.id),
    },
  );
  if (issued.errors) throw new Error(JSON.stringify(issued.errors));
  for (const [i, v] of (issued.data!.issueVouchers as { id: string }[]).entries()) {
    owner.set(`Voucher:${v.id}`, Object.values(customers)[i].id);
  }
  const list = await gql(
    admin,
    `mutation($f: CustomerFilter!) { createCustomerList(name: "Kim's", filter: $f) { id } }`,
    { f: { phone: { eq: customers.kim.phone } } },
  );
  listId = (list.data!.createCustomerList as { id: string }).id;
  // Each customer's rows in the other subgraphs, written straight to their tables.
  for (const [name, db] of Object.entries({
    followers: stack.db('followers'),
    orders: stack.db('orders-loyalty'),
    marketing: stack.db('marketing'),
  })) {
    await db.query('INSERT INTO workspace (id) VALUES ($1) ON CONFLICT DO NOTHING', [ws]);
    for (const [i, c] of [...Object.values(customers), { id: null, phone: '' }].entries()) {
      const id = randomUUID();
      if (name === 'followers') {
        owner.set(`ZaloFollower:${id}`, c.id);
        await db.query(
          `INSERT INTO zalo_follower (id, workspace_id, zalo_user_id, followed_at, status, phone, customer_id)
           VALUES ($1, $2, $3, now(), 'FOLLOWING', $4, $5)`,
          [id, ws, `z-${i}`, c.phone || null, c.id],
        );
      } else if (name === 'orders') {
        // The last order is attached to no customer: only roles that see everyone see it.
        owner.set(`Order:${id}`, c.id);
        await db.query(
          `INSERT INTO customer_order (id, workspace_id, customer_id, code, source, status, subtotal, total, ordered_at, source_updated_at)
           VALUES ($1, $2, $3, $4, 'WEBSITE', 'COMPLETED', 1000, 1000, now(), now())`,
          [id, ws, c.id, `O-${i}`],
        );
        // A review of that order: its customer is the order's (joined when read).
        const reviewId = randomUUID();
        owner.set(`Review:${reviewId}`, c.id);
        await db.query(
          `INSERT INTO order_review (id, workspace_id, source, review_id, order_code, product_name, rating, reviewed_at, edited_at)
           VALUES ($1, $2, 'WEBSITE', $3, $4, 'Áo thun', 5, now(), now())`,
          [reviewId, ws, `RV-${i}`, `O-${i}`],
        );
      } else if (c.id && name === 'marketing') {
        owner.set(`MarketingMessage:${id}`, c.id);
        await db.query(
          `INSERT INTO marketing_message (id, workspace_id, customer_id, channel, campaign_name, status, sent_at, created_at)
           VALUES ($1, $2, $3, 'SMS', 'Tết', 'DELIVERED', now(), now())`,
          [id, ws, c.id],
        );
      }
    }
  }
  // The other subgraphs learn assignments from contacts' events.
  for (const name of ['followers', 'orders-loyalty', 'marketing']) {
    await until(async () => {
      const [{ n }] = await stack
        .db(name)
        .query('SELECT count(*)::int AS n FROM customer_access WHERE workspace_id = $1', [ws]);
      return n === 2;
    });
  }
  const introspection = await gql(admin, getIntrospectionQuery());
  schema = buildClientSchema(introspection.data as never);
}, 60_000);
afterAll(() => stack?.stop());

/** A task assigned to `person` and an opportunity they own, about a customer. */
async function seedWork(admin: Identity, customerId: string, person: string) {
  const body = await gql(
    admin,
    `mutation($task: TaskInput!, $opportunity: OpportunityInput!) {
      createTask(input: $task) { id }
      createOpportunity(input: $opportunity) { id } }`,
    {
      task: { title: 'Gọi lại', customerId, assignee: person },
      opportunity: { name: 'Máy lọc nước', customerId, owner: person, value: 1000 },
    },
  );
  const { createTask, createOpportunity } = body.data as Record<string, { id: string }>;
  for (const row of [`Task:${createTask.id}`, `Opportunity:${createOpportunity.id}`]) {
    owner.set(row, customerId);
    seenBy.set(row, person);
  }
}

async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the projection did not catch up');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Values for root fields' required arguments: each way in to a customer's data. */
function requiredArguments(field: string): Record<string, unknown>[] {
  const all = Object.values(customers);
  switch (field) {
    case 'customer':
      return all.map((c) => ({ id: c.id }));
    case 'customerByPhone':
    case 'customersByPhone':
      return all.map((c) => ({ phone: c.phone }));
    case 'customerList':
      return [{ id: listId }];
    case 'callStats':
      return [{ groupBy: 'STAFF' }];
    // Figures name no customer; the walk checks who may ask for them.
    case 'customerStats':
    case 'orderStats':
      return [{ groupBy: [field === 'customerStats' ? 'TYPE' : 'SOURCE'] }];
    case 'customerErasure':
      // An erasure shows ids only; none of these customers is erased.
      return all.map((c) => ({ customerId: c.id }));
    case 'bulkJob':
    case 'personExport':
    case 'importJob':
    case 'exportJob':
    case 'orderImport':
    case 'voucherCampaign':
    case 'campaign':
    case 'loyaltyReevaluation':
      return [{ id: randomUUID() }];
    case 'order':
      return [...owner.keys()]
        .filter((k) => k.startsWith('Order:'))
        .map((k) => ({ id: k.slice('Order:'.length) }));
    default:
      throw new Error(`the walk does not know what to pass to Query.${field}: add it here`);
  }
}

const required = (field: GraphQLField<unknown, unknown>) =>
  field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);

/**
 * Every field reachable below `type`, with `__typename` and ids to see whose data came
 * back; a type already on the path gives only its id (Order.customer { id }).
 */
function selection(
  type: GraphQLNamedType,
  path: string[],
  within = schema,
  shallow = false,
): string {
  if (isLeafType(type)) return '';
  if (isUnionType(type) || isInterfaceType(type)) {
    const members = isUnionType(type) ? type.getTypes() : within.getPossibleTypes(type);
    return `{ __typename ${members.map((m) => `... on ${m.name} ${selection(m, path, within)}`).join(' ')} }`;
  }
  const object = type as GraphQLObjectType;
  const fields = Object.values(object.getFields());
  // Below a list with no page size (it counts at its cap), only ids: what is below is
  // walked through the singular field (customerList(id) …) within the cost budget.
  if (shallow || path.includes(object.name) || path.length > 7) {
    return fields.some((f) => f.name === 'id') ? '{ __typename id }' : '{ __typename }';
  }
  const parts = ['__typename'];
  for (const field of fields) {
    if (required(field).length > 0) continue;
    const named = getNamedType(field.type);
    const paged = field.args.some((a) => a.name === 'first');
    // A connection's edges are sized by its `first`; any other list of objects by its cap.
    const unpagedList =
      !paged &&
      isListType(getNullableType(field.type)) &&
      !isLeafType(named) &&
      !named.name.endsWith('Edge');
    parts.push(
      `${field.name}${paged ? '(first: 3)' : ''} ${selection(named, [...path, object.name], within, unpagedList)}`,
    );
  }
  return `{ ${parts.join(' ')} }`;
}

function rootQueries(): { name: string; query: string; variables: object }[] {
  const queryType = schema.getQueryType()!;
  return Object.values(queryType.getFields())
    .filter((f) => !f.name.startsWith('__'))
    .flatMap((field) => {
      const named = getNamedType(field.type);
      const unpaged = !field.args.some((a) => a.name === 'first');
      const select = selection(
        named,
        ['Query'],
        schema,
        unpaged && isListType(getNullableType(field.type)) && !isLeafType(named),
      );
      const needed = required(field);
      const argsFor = needed.length > 0 ? requiredArguments(field.name) : [{}];
      return argsFor.map((args, i) => {
        const decl = Object.keys(args).map(
          (a) => `$${a}: ${field.args.find((x) => x.name === a)!.type}`,
        );
        const pass = field.args.some((a) => a.name === 'first') ? ['first: 5'] : [];
        pass.push(...Object.keys(args).map((a) => `${a}: $${a}`));
        return {
          name: `${field.name}#${i}`,
          query: `query${decl.length ? `(${decl.join(', ')})` : ''} { ${field.name}${pass.length ? `(${pass.join(', ')})` : ''} ${select} }`,
          variables: args,
        };
      });
    });
}

/** Whether the subgraph's part of the type has a field needing its customer's id. */
function requiresCustomer(sdl: string, typeName: string): boolean {
  const type = parse(sdl).definitions.find(
    (d) => 'name' in d && d.name?.value === typeName && 'fields' in d,
  ) as { fields?: readonly { directives?: readonly { name: { value: string } }[] }[] } | undefined;
  return !!type?.fields?.some((f) => f.directives?.some((d) => d.name.value === 'requires'));
}

/** The customer-data rows in a response, as "Type:id". */
function rowsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => rowsIn(v, found));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (CUSTOMER_DATA.includes(o.__typename as string) && typeof o.id === 'string') {
      found.add(`${o.__typename}:${o.id}`);
    }
    Object.values(o).forEach((v) => rowsIn(v, found));
  }
  return found;
}

/** The rows the policy lets this caller see. */
function allowed(who: Identity): Set<string> {
  const visible = (row: string, customerId: string | null) => {
    if (who.role === 'platform') return false;
    if (who.role !== 'staff') return true;
    if (seenBy.get(row) === who.userId) return true;
    return customerId !== null && customerId === customers[who.userId as 'sam']?.id;
  };
  return new Set([...owner].filter(([row, c]) => visible(row, c)).map(([row]) => row));
}

describe.each(Object.entries(CALLERS))('as %s', (_label, who) => {
  it('reaches, through every root field, only the customers the policy lets it see', async () => {
    const seen = new Set<string>();
    const failures: string[] = [];
    for (const { name, query, variables } of rootQueries()) {
      const body = await gql(who, query, variables);
      rowsIn(body.data, seen);
      for (const error of body.errors ?? []) {
        const code = error.extensions?.code;
        // Refusals are the policy speaking; anything else is a broken walk.
        if (code !== 'FORBIDDEN') failures.push(`${name}: ${code} ${error.message}`);
      }
    }
    expect(failures).toEqual([]);
    const mayNotSee = [...seen].filter((row) => !allowed(who).has(row));
    expect(mayNotSee).toEqual([]);
    // The walk is not blind: it reaches every row the caller may see.
    expect([...allowed(who)].filter((row) => !seen.has(row))).toEqual([]);
  }, 120_000); // a request per root field: over 30 s on a loaded machine

  it.each([...SUBGRAPH_NAMES])(
    "gets from %s's _entities only what the policy lets it see",
    async (subgraph) => {
      const entityTypes = [...new Set([...owner.keys()].map((k) => k.split(':')[0]))];
      // The subgraph's own schema: its part of each entity.
      const sdl = (await stack.subgraphs[subgraph].query(CALLERS.admin, '{ _service { sdl } }'))
        .data!._service.sdl as string;
      const subgraphSchema = buildSubgraphSchema({ typeDefs: parse(sdl) });
      const entityUnion = subgraphSchema.getType('_Entity');
      const entities = isUnionType(entityUnion) ? entityUnion.getTypes().map((t) => t.name) : [];
      const own = entityTypes.filter((t) => entities.includes(t));
      expect(own.length).toBeGreaterThan(0);
      const representations = [...owner.keys()]
        .map((k) => k.split(':'))
        .filter(([t]) => own.includes(t))
        .map(([__typename, id]) => ({
          __typename,
          id,
          // What the gateway adds for a `@requires(fields: "customer { id }")`.
          ...(requiresCustomer(sdl, __typename) && {
            customer: owner.get(`${__typename}:${id}`)
              ? { id: owner.get(`${__typename}:${id}`) }
              : null,
          }),
        }));
      const fragments = own
        .map(
          (t) =>
            `... on ${t} ${selection(subgraphSchema.getType(t)!, ['_Entity'], subgraphSchema)}`,
        )
        .join(' ');
      const body = await stack.subgraphs[subgraph].query(
        who,
        `query($r: [_Any!]!) { _entities(representations: $r) { ${fragments} } }`,
        { r: representations },
      );
      const codes = (body.errors ?? []).map((e) => `${e.extensions?.code} ${e.message}`);
      expect(codes.filter((c) => !c.startsWith('FORBIDDEN'))).toEqual([]);
      const seen = rowsIn(body.data);
      expect([...seen].filter((row) => !allowed(who).has(row))).toEqual([]);
      // Not blind: what this subgraph holds and the caller may see comes back.
      const mine = representations.map((r) => `${r.__typename}:${r.id}`);
      expect(mine.filter((row) => allowed(who).has(row) && !seen.has(row))).toEqual([]);
    },
  );
});

it('keeps a saved filter that names another staff member’s customer from staff', async () => {
  const q = `{ customerLists { name filter } }`;
  const staff = await gql(CALLERS['staff sam'], q);
  expect(staff.data!.customerLists).toEqual([{ name: "Kim's", filter: null }]);
  const editor = await gql(CALLERS.editor, q);
  expect(editor.data!.customerLists).toEqual([
    { name: "Kim's", filter: { phone: { eq: customers.kim.phone } } },
  ]);
});
