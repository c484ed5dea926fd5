import { badInput, normalisePhone, parsePage } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import type { CustomerFilterInput } from '../filter/filter.types';
import type { Context } from '../context';
import { startJob } from '../bulk/bulk-job.service';
import { requireRead, requireWrite, staffScope } from './customer.access';
import { listCustomers } from './customer.list';
import type { CustomerSort, ListScope } from './customer.list';
import { createCustomer, deleteCustomersById, updateCustomer } from './customer.write';
import type { Writer } from './customer.write';
import { FilterValueScalar, JsonScalar } from './json.scalars';
import { heavy } from './heavy-work';

/** Who the caller is for the list, with the request's custom fields (read once). */
export const scopeOf = async (ctx: Context): Promise<ListScope> => ({
  workspaceId: ctx.workspaceId,
  staffUserId: staffScope(ctx.identity),
  customFields: await ctx.loaders.customFields(),
  e164: ctx.loaders.e164,
  compiled: ctx.loaders.compiledFilters,
});

async function writer(ctx: Context): Promise<Writer> {
  return { identity: ctx.identity, customFields: await ctx.loaders.customFields() };
}

export const customerResolvers: Resolvers = {
  JSON: JsonScalar,
  FilterValue: FilterValueScalar,
  Query: {
    customer: (_parent, { id }, ctx) => {
      requireRead(ctx.identity, 'customer');
      return ctx.loaders.customerById.load(id);
    },
    customers: async (_parent, args, ctx) => {
      requireRead(ctx.identity, 'customers');
      const scope = await scopeOf(ctx);
      const list = () =>
        listCustomers(ctx.db, scope, {
          filter: args.filter as CustomerFilterInput | null,
          sort: args.sort as CustomerSort[] | null,
          first: args.first,
          after: args.after,
        });
      // A page without a filter is an index range scan: it is not heavy work.
      const page = await (args.filter == null ? list() : heavy(ctx.workspaceId, list));
      return { ...page, count: () => heavy(ctx.workspaceId, page.count) };
    },
    customerByPhone: async (_parent, { phone }, ctx) => {
      requireRead(ctx.identity, 'customerByPhone');
      const { e164 } = normalisePhone(phone, 'phone');
      const owner = await ctx.loaders.customerIdByPhone.load(e164);
      return owner ? ctx.loaders.customerById.load(owner) : null;
    },
  },
  Mutation: {
    createCustomer: async (_parent, { input }, ctx) => {
      requireWrite(ctx.identity, 'createCustomer');
      const w = await writer(ctx);
      return ctx.db.transaction((tx) => createCustomer(tx, w, input));
    },
    updateCustomer: async (_parent, { id, input }, ctx) => {
      requireWrite(ctx.identity, 'updateCustomer');
      const w = await writer(ctx);
      return ctx.db.transaction((tx) => updateCustomer(tx, w, id, input));
    },
    deleteCustomers: async (_parent, { ids, filter }, ctx) => {
      requireWrite(ctx.identity, 'deleteCustomers');
      if ((ids == null) === (filter == null)) {
        throw badInput('ids', 'give exactly one of ids or filter');
      }
      if (ids) {
        const deleted = await ctx.db.transaction((tx) =>
          deleteCustomersById(tx, ctx.identity, ids),
        );
        return { deleted, job: null };
      }
      const job = await heavy(ctx.workspaceId, async () =>
        startJob(
          ctx.db,
          ctx.identity,
          filter as CustomerFilterInput,
          { delete: true },
          await scopeOf(ctx),
        ),
      );
      return { deleted: 0, job };
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
      requireRead(ctx.identity, 'Customer');
      return ctx.loaders.customerById.load(ref.id);
    },
    phone: async (customer, _args, ctx) =>
      (await ctx.loaders.phonesByCustomer.load(customer.id))[0]?.number ?? null,
    phones: async (customer, _args, ctx) =>
      (await ctx.loaders.phonesByCustomer.load(customer.id)).map((p) => ({
        number: p.number,
        e164: p.e164,
        primary: p.position === 0,
      })),
    externalIds: async (customer, _args, ctx) =>
      (await ctx.loaders.externalIdsByCustomer.load(customer.id)).map((e) => ({
        source: e.source,
        id: e.externalId,
      })),
    custom: async (customer, _args, ctx) => {
      const fields = await ctx.loaders.customFields();
      return [...fields.values()]
        .filter((f) => customer.custom[f.key] != null)
        .map((f) => ({ key: f.key, type: f.type, value: customer.custom[f.key] }));
    },
    notes: (customer, args, ctx) => ctx.loaders.notesByCustomer(parsePage(args)).load(customer.id),
  },
};
