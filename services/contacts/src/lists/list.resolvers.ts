import { isUuid } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import type { CustomerFilterInput } from '../filter/filter.types';
import { compileWhere, countWhere, listCustomers } from '../customers/customer.list';
import type { CustomerSort } from '../customers/customer.sort';
import { scopeOf } from '../customers/customer.scope';
import { heavy } from '../customers/heavy-work';
import { CustomerListEntity } from './list.entity';
import { createList, deleteList, renameList, splitList } from './list.service';

export const listResolvers: Resolvers = {
  Query: {
    customerLists: (_parent, _args, ctx) => {
      return ctx.db
        .getRepository(CustomerListEntity)
        .find({ where: { workspaceId: ctx.workspaceId }, order: { name: 'ASC' } });
    },
    customerList: (_parent, { id }, ctx) => {
      if (!isUuid(id)) return null;
      return ctx.db
        .getRepository(CustomerListEntity)
        .findOneBy({ workspaceId: ctx.workspaceId, id });
    },
  },
  Mutation: {
    createCustomerList: async (_parent, { name, filter }, ctx) => {
      return createList(
        ctx.db,
        await scopeOf(ctx),
        ctx.identity,
        name,
        filter as CustomerFilterInput,
      );
    },
    renameCustomerList: (_parent, { id, name }, ctx) => {
      return renameList(ctx.db, ctx.workspaceId, id, name);
    },
    deleteCustomerList: (_parent, { id }, ctx) => {
      return deleteList(ctx.db, ctx.identity, id);
    },
    splitList: async (_parent, { id, parts }, ctx) => {
      // Splitting writes nothing: whoever may read the list may split it.
      const scope = await scopeOf(ctx);
      return heavy(ctx.workspaceId, () => splitList(ctx.db, scope, id, parts));
    },
  },
  CustomerList: {
    // A list's filter may name customers (ids, phones) the caller may not see.
    filter: (list, _args, ctx) => (ctx.access.can('customers.readAll') ? list.filter : null),
    // A saved list is a filter evaluated now: heavy work, as a filtered list is.
    count: async (list, _args, ctx) => {
      const scope = await scopeOf(ctx);
      return heavy(ctx.workspaceId, async () =>
        countWhere(ctx.db, await compileWhere(ctx.db, scope, { inList: list.id })),
      );
    },
    customers: async (list, args, ctx, info) => {
      const scope = await scopeOf(ctx);
      const page = await heavy(ctx.workspaceId, () =>
        listCustomers(ctx.db, scope, {
          filter: { inList: list.id },
          sort: args.sort as CustomerSort[] | null,
          first: args.first,
          after: args.after,
          field: info,
        }),
      );
      return { ...page, count: () => heavy(ctx.workspaceId, page.count) };
    },
  },
};

const EVALUATED = "evaluated through the customer list, which sees only the caller's customers";

export const listAccess: AccessRules = {
  'Query.customerLists': { can: 'customers.read' },
  'Query.customerList': { can: 'customers.read' },
  // Saving, renaming and deleting lists changes the workspace: admins and editors.
  'Mutation.createCustomerList': { can: 'workspace.edit' },
  'Mutation.renameCustomerList': { can: 'workspace.edit' },
  'Mutation.deleteCustomerList': { can: 'workspace.edit' },
  // Splitting writes nothing: whoever may read the list may split it.
  'Mutation.splitList': { can: 'customers.read' },
  'CustomerList.filter': { can: 'customers.read' },
  'CustomerList.count': { inherit: EVALUATED },
  'CustomerList.customers': { inherit: EVALUATED },
};
