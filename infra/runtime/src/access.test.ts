import { GraphQLError, parse } from 'graphql';
import { ROLE_CAPABILITIES, can, createRequestAccess, customerScope } from './access';
import type { RequestAccess } from './access';
import { guardResolvers, unguardedFields } from './access-guard';
import type { Identity, Role } from './identity';

const who = (role: Role): Identity => ({ workspaceId: 'w', userId: 'sam', role });
const assignedToSam = async (_db: unknown, _w: string, staff: string, ids: readonly string[]) =>
  new Set(staff === 'sam' ? ids.filter((id) => id === 'mine') : []);
const accessOf = (role: Role): RequestAccess =>
  createRequestAccess(who(role), {} as never, assignedToSam as never);

describe('the role matrix', () => {
  it('is the one docs/access.md states', () => {
    expect(ROLE_CAPABILITIES).toEqual({
      admin: [
        'customers.read',
        'customers.readAll',
        'customers.write',
        'workspace.edit',
        'settings.read',
        'settings.manage',
        'customers.export',
        'customers.erase',
        'audit.read',
        'reports.read',
      ],
      editor: [
        'customers.read',
        'customers.readAll',
        'customers.write',
        'workspace.edit',
        'settings.read',
        'customers.export',
        'reports.read',
      ],
      staff: ['customers.read', 'customers.write', 'settings.read'],
      analyst: [
        'customers.read',
        'customers.readAll',
        'settings.read',
        'customers.export',
        'reports.read',
      ],
      platform: ['settings.read', 'platform.operate'],
    });
  });

  it.each([
    ['admin', { kind: 'all' }],
    ['editor', { kind: 'all' }],
    ['analyst', { kind: 'all' }],
    ['staff', { kind: 'assigned', staffUserId: 'sam' }],
    ['platform', { kind: 'none' }],
  ] as const)('scopes %s to %j', (role, scope) => {
    expect(customerScope(who(role))).toEqual(scope);
  });

  it('keeps platform away from customer data and analysts from writes', () => {
    expect(can(who('platform'), 'customers.read')).toBe(false);
    expect(can(who('analyst'), 'customers.write')).toBe(false);
    expect(can(who('staff'), 'customers.readAll')).toBe(false);
    expect(can(who('staff'), 'reports.read')).toBe(false);
  });
});

describe('guarded resolvers', () => {
  const resolvers = guardResolvers(
    [
      {
        Query: { customers: () => ['all of them'] },
        Customer: {
          __resolveReference: (ref: { id: string }) => ({ id: ref.id, tab: 'data' }),
          phone: () => '+84901234567',
        },
      },
    ],
    {
      'Query.customers': { can: 'customers.read' },
      'Customer.__resolveReference': {
        can: 'customers.read',
        customer: (ref: { id: string }) => ref.id,
      },
      'Customer.phone': { inherit: 'the reference was checked' },
    },
  )[0] as Record<string, Record<string, (...args: unknown[]) => unknown>>;

  it('refuses a role without the capability, naming who may', async () => {
    const ctx = { access: accessOf('platform') };
    const refused = (await Promise.resolve(resolvers.Query.customers({}, {}, ctx)).catch(
      (e: unknown) => e,
    )) as GraphQLError;
    expect(refused).toBeInstanceOf(GraphQLError);
    expect(refused.extensions.code).toBe('FORBIDDEN');
    expect(refused.message).toMatch(
      /customers needs one of the roles admin, editor, staff, analyst/,
    );
  });

  it('answers null for a customer the caller may not see, the entity for one they may', async () => {
    const ref = resolvers.Customer.__resolveReference;
    const staff = { access: accessOf('staff') };
    await expect(ref({ id: 'theirs' }, staff)).resolves.toBeNull();
    await expect(ref({ id: 'mine' }, staff)).resolves.toEqual({ id: 'mine', tab: 'data' });
    await expect(ref({ id: 'theirs' }, { access: accessOf('admin') })).resolves.toMatchObject({
      id: 'theirs',
    });
  });

  it('refuses a root field’s customer argument that no customer could have, naming it, before the resolver runs', async () => {
    let ran = false;
    const [guarded] = guardResolvers([{ Mutation: { note: () => (ran = true) } }], {
      'Mutation.note': {
        can: 'customers.write',
        customer: (_p: never, a: { who: string }) => a.who,
      },
    }) as Record<string, Record<string, (...args: unknown[]) => unknown>>[];
    const refused = (await Promise.resolve(
      guarded.Mutation.note({}, { who: 'nope' }, { access: accessOf('admin') }),
    ).catch((e: unknown) => e)) as GraphQLError;
    expect(refused).toBeInstanceOf(GraphQLError);
    expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'who' });
    expect(ran).toBe(false);
  });

  it('refuses rules that name no resolver (a typo would leave a field unguarded)', () => {
    expect(() =>
      guardResolvers([{ Query: { customers: () => [] } }], {
        'Query.customer': { can: 'customers.read' },
      }),
    ).toThrow(/access rules name no resolver of the module: Query.customer/);
  });
});

describe('a field added without a rule', () => {
  const typeDefs = parse(`
    type Query { customers: [Customer!]! orders: [String!]! }
    type Customer @key(fields: "id") { id: ID! phone: String loyaltyTier: String }
    type Stub @key(fields: "id", resolvable: false) { id: ID! }
  `);

  it('is named when the schema is built, whatever kind of field it is', () => {
    const guarded = guardResolvers(
      [
        {
          Query: { customers: () => [] },
          Customer: { phone: () => null, loyaltyTier: () => 'GOLD' },
        },
      ],
      { 'Query.customers': { can: 'customers.read' }, 'Customer.phone': { inherit: 'x' } },
    );
    expect(unguardedFields(typeDefs, guarded[0])).toEqual([
      // a root field without a resolver, an entity without a reference resolver, and a
      // resolver without a rule:
      'Customer.__resolveReference',
      'Customer.loyaltyTier',
      'Query.orders',
    ]);
  });
});
