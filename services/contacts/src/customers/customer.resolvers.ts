import { AuditAction, normalisePhone, recordAudit } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import type { CustomerFilterInput } from '../filter/filter.types';
import { listCustomers } from './customer.list';
import type { CustomerSort } from './customer.sort';
import { scopeOf, writerOf } from './customer.scope';
import { createCustomer, updateCustomer } from './customer.write';
import { FilterValueScalar, JsonScalar } from './json.scalars';
import { heavy } from './heavy-work';
import { workspaceCustomerCount } from './customer.count';
import { patchFields } from '../audit/audit.details';

export const customerResolvers: Resolvers = {
  JSON: JsonScalar,
  FilterValue: FilterValueScalar,
  Query: {
    customer: (_parent, { id }, ctx) => {
      return ctx.loaders.customers.customerById.load(id);
    },
    customers: async (_parent, args, ctx, info) => {
      const scope = await scopeOf(ctx);
      const list = () =>
        listCustomers(ctx.db, scope, {
          filter: args.filter as CustomerFilterInput | null,
          sort: args.sort as CustomerSort[] | null,
          first: args.first,
          after: args.after,
          field: info,
        });
      // A page without a filter is an index range scan: it is not heavy work. Nor is
      // the count of a whole workspace, which is kept (customer.count.ts); staff, who
      // see only their own customers, have theirs counted.
      const page = await (args.filter == null ? list() : heavy(ctx.workspaceId, list));
      const whole = args.filter == null && scope.staffUserId === null;
      return {
        ...page,
        count: () =>
          whole
            ? workspaceCustomerCount(ctx.db, ctx.workspaceId)
            : heavy(ctx.workspaceId, page.count),
      };
    },
    customerByPhone: async (_parent, { phone }, ctx) => {
      const { e164 } = normalisePhone(phone, 'phone');
      const owner = await ctx.loaders.customers.customerIdByPhone.load(e164);
      return owner ? ctx.loaders.customers.customerById.load(owner) : null;
    },
  },
  Mutation: {
    createCustomer: async (_parent, { input }, ctx) => {
      const w = await writerOf(ctx);
      return ctx.db.transaction(async (tx) => {
        const created = await createCustomer(tx, w, input);
        await recordAudit(tx, ctx.identity, {
          action: AuditAction.CUSTOMER_CREATED,
          targetType: 'Customer',
          targetIds: [created.id],
        });
        return created;
      });
    },
    updateCustomer: async (_parent, { id, input }, ctx) => {
      const w = await writerOf(ctx);
      return ctx.db.transaction(async (tx) => {
        const updated = await updateCustomer(tx, w, id, input);
        await recordAudit(tx, ctx.identity, {
          action: AuditAction.CUSTOMER_UPDATED,
          targetType: 'Customer',
          targetIds: [updated.id],
          detail: { fields: patchFields(input) },
        });
        return updated;
      });
    },
  },
  CustomerConnection: {
    totalCount: (page) => page.count(),
  },
  Customer: {
    // Through the loader, so the gateway's batched `_entities` costs one query, and
    // scoped to the caller: another workspace's id (or, for staff, a customer that is
    // not theirs) resolves to null.
    __resolveReference: (ref, ctx) => {
      return ctx.loaders.customers.customerById.load(ref.id);
    },
    phone: async (customer, _args, ctx) =>
      (await ctx.loaders.customers.phonesByCustomer.load(customer.id))[0]?.number ?? null,
    phones: async (customer, _args, ctx) =>
      (await ctx.loaders.customers.phonesByCustomer.load(customer.id)).map((p) => ({
        number: p.number,
        e164: p.e164,
        primary: p.position === 0,
      })),
    externalIds: async (customer, _args, ctx) =>
      (await ctx.loaders.customers.externalIdsByCustomer.load(customer.id)).map((e) => ({
        source: e.source,
        id: e.externalId,
      })),
    custom: async (customer, _args, ctx) => {
      const fields = await ctx.loaders.customFields.all();
      return [...fields.values()]
        .filter((f) => customer.custom[f.key] != null)
        .map((f) => ({ key: f.key, type: f.type, value: customer.custom[f.key] }));
    },
  },
};

const SCOPED = "the customer came through the loaders, which see only the caller's customers";

export const customerAccess: AccessRules = {
  'Query.customer': { can: 'customers.read' },
  'Query.customers': { can: 'customers.read' },
  'Query.customerByPhone': { can: 'customers.read' },
  'Mutation.createCustomer': { can: 'customers.write' },
  'Mutation.updateCustomer': { can: 'customers.write' },
  'CustomerConnection.totalCount': { inherit: 'the list it counts was checked' },
  'Customer.__resolveReference': { can: 'customers.read' },
  'Customer.phone': { inherit: SCOPED },
  'Customer.phones': { inherit: SCOPED },
  'Customer.externalIds': { inherit: SCOPED },
  'Customer.custom': { inherit: SCOPED },
};
