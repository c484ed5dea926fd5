// The filter language, the list, saved lists and splits through the gateway
// (issue 5), on a small workspace whose every customer is known, plus a second
// workspace that none of it may ever reach.
import { randomBytes } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestStack } from './stack';
import type { TestStack } from './stack';

const ws = `flt-${randomBytes(3).toString('hex')}`;
const admin: Identity = { workspaceId: ws, userId: 'admin-1', role: 'admin' };

let stack: TestStack;
let token: string;
let otherToken: string;
/** name → id of the workspace's customers. */
const ids = new Map<string, string>();
const created: { name: string; createdAt: string }[] = [];

async function gql(query: string, variables?: object, as = token) {
  return (await stack.query(as, query, variables)).body;
}

const PEOPLE = [
  {
    name: 'Nguyễn Văn Đức',
    phone: '0912 345 678',
    city: 'Hà Nội',
    tags: ['vip', 'hn'],
    address: 'Phố Huế, Hai Bà Trưng',
  },
  { name: 'Trần Thị Đào', phone: '+84 983 111 222', city: 'Hồ Chí Minh', tags: ['vip'] },
  { name: 'Lê Minh', email: 'Minh.Le@Example.vn', city: 'Hà Nội', tags: ['hn'] },
  { name: 'Phạm Hùng', phone: '01681234567', tags: [] },
  {
    name: 'Đặng Thu',
    email: 'thu@example.vn',
    city: 'Đà Nẵng',
    tags: ['new'],
    birthday: '1995-05-01',
  },
  { name: 'Vũ An', phone: '0977 000 333', birthday: '1988-12-31' },
];

async function matching(filter: object, sort?: object[]): Promise<string[]> {
  const { data, errors } = await gql(
    `query($f: CustomerFilter, $s: [CustomerSort!]) {
       customers(filter: $f, sort: $s, first: 250) { totalCount edges { node { name } } } }`,
    { f: filter, s: sort },
  );
  if (errors) throw new Error(JSON.stringify(errors));
  const page = data!.customers as { totalCount: number; edges: { node: { name: string } }[] };
  expect(page.totalCount).toBe(page.edges.length);
  return page.edges.map((e) => e.node.name).sort();
}

async function refusal(filter: object) {
  const { errors } = await gql(
    'query($f: CustomerFilter) { customers(filter: $f) { totalCount } }',
    { f: filter },
  );
  return errors?.[0].extensions;
}

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.token(admin);
  otherToken = await stack.token({ ...admin, workspaceId: `${ws}-other` });
  const platform = await stack.token({ ...admin, role: 'platform', userId: 'ops' });
  const plan = await gql('mutation { setWorkspacePlan(plan: PREMIUM) }', undefined, platform);
  if (plan.errors) throw new Error(JSON.stringify(plan.errors));
  for (const input of [
    { key: 'size', label: 'Cỡ', type: 'NUMBER' },
    { key: 'tier', label: 'Hạng', type: 'SELECT', options: ['gold', 'silver'] },
    { key: 'interests', label: 'Sở thích', type: 'MULTI_SELECT', options: ['tea', 'cake', 'fish'] },
    { key: 'vip_since', label: 'VIP từ', type: 'DATE' },
  ]) {
    const made = await gql(
      'mutation($i: CustomFieldInput!) { createCustomField(input: $i) { key } }',
      { i: input },
    );
    if (made.errors) throw new Error(JSON.stringify(made.errors));
  }
  const custom: Record<string, object> = {
    'Nguyễn Văn Đức': {
      size: 9,
      tier: 'gold',
      interests: ['tea', 'cake'],
      vip_since: '2020-01-01',
    },
    'Trần Thị Đào': { size: 3, tier: 'Silver', interests: ['tea'] },
    'Lê Minh': { size: 5.5 },
  };
  for (const person of PEOPLE) {
    const { data, errors } = await gql(
      'mutation($i: CustomerInput!) { createCustomer(input: $i) { id name createdAt } }',
      { i: { ...person, custom: custom[person.name] } },
    );
    if (errors) throw new Error(JSON.stringify(errors));
    const c = data!.createCustomer as { id: string; name: string; createdAt: string };
    ids.set(c.name, c.id);
    created.push(c);
  }
  // The other workspace has look-alikes that no filter of this one may return.
  for (const person of PEOPLE.slice(0, 3)) {
    await gql(
      'mutation($i: CustomerInput!) { createCustomer(input: $i) { id } }',
      { i: person },
      otherToken,
    );
  }
}, 60_000);

afterAll(() => stack?.stop());

describe('the filter language', () => {
  it('finds names and addresses whatever the diacritics and case', async () => {
    expect(await matching({ name: { contains: 'nguyen van duc' } })).toEqual(['Nguyễn Văn Đức']);
    expect(await matching({ name: { contains: 'ĐỨC' } })).toEqual(['Nguyễn Văn Đức']);
    expect(await matching({ name: { startsWith: 'dang' } })).toEqual(['Đặng Thu']);
    expect(await matching({ address: { contains: 'pho hue' } })).toEqual(['Nguyễn Văn Đức']);
    expect(await matching({ name: { contains: 'dao' } })).toEqual(['Trần Thị Đào']);
  });

  it('finds a phone in any written form, and who has none', async () => {
    expect(await matching({ phone: { eq: '+84 912.345.678' } })).toEqual(['Nguyễn Văn Đức']);
    expect(await matching({ phone: { eq: '0381234567' } })).toEqual(['Phạm Hùng']);
    expect(await matching({ phone: { contains: '345 678' } })).toEqual(['Nguyễn Văn Đức']);
    expect(await matching({ phone: { isEmpty: true } })).toEqual(['Lê Minh', 'Đặng Thu']);
  });

  it('matches emails without regard to case', async () => {
    expect(await matching({ email: { eq: 'minh.le@example.VN' } })).toEqual(['Lê Minh']);
  });

  it('treats a missing value as failing a condition and passing its negation', async () => {
    const notHanoi = await matching({ city: { neq: 'Hà Nội' } });
    expect(notHanoi).toEqual(['Phạm Hùng', 'Trần Thị Đào', 'Vũ An', 'Đặng Thu']);
    expect(await matching({ not: { city: { eq: 'Hà Nội' } } })).toEqual(notHanoi);
    expect(await matching({ not: { birthday: { lt: '1990-01-01' } } })).toEqual([
      'Lê Minh',
      'Nguyễn Văn Đức',
      'Phạm Hùng',
      'Trần Thị Đào',
      'Đặng Thu',
    ]);
  });

  it('combines and, or and not, tags and dates', async () => {
    expect(
      await matching({
        or: [
          { tags: { containsAll: ['vip', 'hn'] } },
          { birthday: { between: ['1990-01-01', '1999-12-31'] } },
        ],
      }),
    ).toEqual(['Nguyễn Văn Đức', 'Đặng Thu']);
    expect(
      await matching({
        and: [{ tags: { containsAny: ['vip'] } }, { not: { city: { eq: 'Hà Nội' } } }],
      }),
    ).toEqual(['Trần Thị Đào']);
    expect(await matching({ tags: { isEmpty: true } })).toEqual(['Phạm Hùng', 'Vũ An']);
    expect(await matching({ createdAt: { lt: created[2].createdAt } })).toEqual([
      'Nguyễn Văn Đức',
      'Trần Thị Đào',
    ]);
    expect(await matching({ type: { eq: 'LEAD' } })).toHaveLength(6);
  });

  it('filters custom fields by their type', async () => {
    expect(await matching({ custom: [{ key: 'size', gt: 5 }] })).toEqual([
      'Lê Minh',
      'Nguyễn Văn Đức',
    ]);
    expect(await matching({ custom: [{ key: 'tier', in: ['silver'] }] })).toEqual(['Trần Thị Đào']);
    expect(
      await matching({ custom: [{ key: 'interests', containsAll: ['tea', 'cake'] }] }),
    ).toEqual(['Nguyễn Văn Đức']);
    expect(await matching({ custom: [{ key: 'vip_since', isNotEmpty: true }] })).toEqual([
      'Nguyễn Văn Đức',
    ]);
    expect(await matching({ custom: [{ key: 'tier', neq: 'gold' }] })).toEqual([
      'Lê Minh',
      'Phạm Hùng',
      'Trần Thị Đào',
      'Vũ An',
      'Đặng Thu',
    ]);
  });

  it.each([
    ['filter.custom[0].key', { custom: [{ key: 'shoe', eq: 1 }] }],
    ['filter.custom[0].gt', { custom: [{ key: 'tier', gt: 'gold' }] }],
    ['filter.custom[0].gt', { custom: [{ key: 'size', gt: 'big' }] }],
    ['filter.custom[0].eq', { custom: [{ key: 'tier', eq: 'bronze' }] }],
    ['filter.phone.eq', { phone: { eq: '0912 34' } }],
    ['filter.birthday.between', { birthday: { between: ['2000-01-01'] } }],
    ['filter.or', { or: [] }],
    ['filter.inList', { inList: '00000000-0000-4000-8000-000000000000' }],
  ])('names %s in a bad filter', async (field, filter) => {
    expect(await refusal(filter)).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses an operator a field does not have, naming it', async () => {
    expect(await refusal({ name: { gt: 'a' } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'f.name',
    });
    const inline = await gql('{ customers(filter: { name: { gt: "a" } }) { totalCount } }');
    expect(inline.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'gt' });
    const wrongType = await gql('{ customers(filter: { birthday: { lt: 1990 } }) { totalCount } }');
    expect(wrongType.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('the customer list', () => {
  it('pages in any indexed sort with no gap or repeat, counting them all', async () => {
    for (const sort of [
      [{ field: 'NAME', direction: 'ASC' }],
      [{ field: 'CREATED_AT', direction: 'DESC' }],
      [
        { field: 'NAME', direction: 'DESC' },
        { field: 'CREATED_AT', direction: 'ASC' },
      ],
    ]) {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const { data, errors } = await gql(
          `query($s: [CustomerSort!], $a: String) { customers(sort: $s, first: 4, after: $a) {
             totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }`,
          { s: sort, a: after },
        );
        expect(errors).toBeUndefined();
        const page = data!.customers as {
          totalCount: number;
          edges: { node: { name: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
        expect(page.totalCount).toBe(PEOPLE.length);
        seen.push(...page.edges.map((e) => e.node.name));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect([...seen].sort()).toEqual(PEOPLE.map((p) => p.name).sort());
    }
    const byName = await matching({}, [{ field: 'NAME' }]);
    expect(byName).toHaveLength(PEOPLE.length);
  });

  it('refuses more than 250 a page, and a cursor from another sort', async () => {
    const big = await gql('{ customers(first: 251) { totalCount } }');
    expect(big.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const first = await gql('{ customers(first: 1) { pageInfo { endCursor } } }');
    const cursor = (first.data!.customers as { pageInfo: { endCursor: string } }).pageInfo
      .endCursor;
    const other = await gql(
      `{ customers(first: 1, after: "${cursor}", sort: [{ field: NAME }]) { totalCount } }`,
    );
    expect(other.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

const CREATE_LIST = `mutation($n: String!, $f: CustomerFilter!) {
  createCustomerList(name: $n, filter: $f) { id name count filter } }`;

describe('saved lists', () => {
  it('keep a filter, count and list its members live, and are renamed and deleted', async () => {
    const { data, errors } = await gql(CREATE_LIST, {
      n: 'VIP',
      f: { tags: { containsAny: ['vip'] } },
    });
    expect(errors).toBeUndefined();
    const list = data!.createCustomerList as { id: string; count: number };
    expect(list.count).toBe(2);
    const taken = await gql(CREATE_LIST, { n: 'vip', f: { tags: { isEmpty: true } } });
    expect(taken.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'name' });
    // Members are evaluated live: a newly tagged customer joins.
    await gql('mutation($id: ID!) { updateCustomer(id: $id, input: { tags: ["vip"] }) { id } }', {
      id: ids.get('Vũ An'),
    });
    expect(await matching({ inList: list.id })).toEqual([
      'Nguyễn Văn Đức',
      'Trần Thị Đào',
      'Vũ An',
    ]);
    const other = await gql(CREATE_LIST, { n: 'Khác', f: { tags: { isEmpty: true } } });
    const otherId = (other.data!.createCustomerList as { id: string }).id;
    const clash = await gql(
      `mutation { renameCustomerList(id: "${otherId}", name: "VIP") { name } }`,
    );
    expect(clash.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'name' });
    await gql(`mutation { deleteCustomerList(id: "${otherId}") }`);
    const renamed = await gql(
      `mutation { renameCustomerList(id: "${list.id}", name: "Khách VIP") { name count } }`,
    );
    expect(renamed.data).toEqual({ renameCustomerList: { name: 'Khách VIP', count: 3 } });
    const deleted = await gql(`mutation { deleteCustomerList(id: "${list.id}") }`);
    expect(deleted.data).toEqual({ deleteCustomerList: true });
    expect(await matching({})).toHaveLength(PEOPLE.length);
    await gql('mutation($id: ID!) { updateCustomer(id: $id, input: { tags: [] }) { id } }', {
      id: ids.get('Vũ An'),
    });
  });
  it('can name another list, which then cannot be deleted under it', async () => {
    const hanoi = await gql(CREATE_LIST, { n: 'Hà Nội', f: { city: { eq: 'Hà Nội' } } });
    const hanoiId = (hanoi.data!.createCustomerList as { id: string }).id;
    const vipHanoi = await gql(CREATE_LIST, {
      n: 'VIP Hà Nội',
      f: { inList: hanoiId, tags: { containsAny: ['vip'] } },
    });
    const nested = vipHanoi.data!.createCustomerList as { id: string; count: number };
    expect(nested.count).toBe(1);
    const refused = await gql(`mutation { deleteCustomerList(id: "${hanoiId}") }`);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'id' });
    await gql(`mutation { deleteCustomerList(id: "${nested.id}") }`);
    const deleted = await gql(`mutation { deleteCustomerList(id: "${hanoiId}") }`);
    expect(deleted.data).toEqual({ deleteCustomerList: true });
  });
});

describe('splitting a list', () => {
  it('gives contiguous groups differing by at most one, each usable as a filter', async () => {
    const { data } = await gql(CREATE_LIST, { n: 'Everyone', f: { name: { isNotEmpty: true } } });
    const listId = (data!.createCustomerList as { id: string }).id;
    const split = await gql(
      `mutation { splitList(id: "${listId}", parts: 4) { part size first { id } last { id } filter } }`,
    );
    expect(split.errors).toBeUndefined();
    const parts = split.data!.splitList as { size: number; filter: object }[];
    expect(parts.map((p) => p.size)).toEqual([2, 2, 1, 1]);
    const members: string[] = [];
    for (const part of parts) {
      const names = await matching(part.filter);
      expect(names).toHaveLength(part.size);
      members.push(...names);
    }
    expect(members.sort()).toEqual(PEOPLE.map((p) => p.name).sort());
    // In (createdAt, id) order: the first group holds the first two created.
    expect(await matching(parts[0].filter)).toEqual(
      created
        .slice(0, 2)
        .map((c) => c.name)
        .sort(),
    );
    const bad = await gql(`mutation { splitList(id: "${listId}", parts: 1) { size } }`);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'parts' });
  });
});

describe('two workspaces', () => {
  it('never let a filter, list or split of one reach the other', async () => {
    const { data } = await gql(CREATE_LIST, { n: 'Mine', f: { city: { eq: 'Hà Nội' } } });
    const listId = (data!.createCustomerList as { id: string }).id;
    const theirList = await gql(`{ customerList(id: "${listId}") { id } }`, undefined, otherToken);
    expect(theirList.data).toEqual({ customerList: null });
    const viaFilter = await gql(
      `{ customers(filter: { inList: "${listId}" }) { totalCount } }`,
      undefined,
      otherToken,
    );
    expect(viaFilter.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.inList',
    });
    const split = await gql(
      `mutation { splitList(id: "${listId}", parts: 2) { size } }`,
      undefined,
      otherToken,
    );
    expect(split.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    const theirs = await gql(
      '{ customers(first: 250) { totalCount edges { node { id } } } }',
      undefined,
      otherToken,
    );
    const theirIds = (theirs.data!.customers as { edges: { node: { id: string } }[] }).edges.map(
      (e) => e.node.id,
    );
    expect(theirIds).toHaveLength(3);
    expect(theirIds.some((id) => [...ids.values()].includes(id))).toBe(false);
    const byId = await gql(
      `{ customers(filter: { id: { in: ${JSON.stringify([...ids.values()])} } }) { totalCount } }`,
      undefined,
      otherToken,
    );
    expect(byId.data).toEqual({ customers: { totalCount: 0 } });
  });
});
