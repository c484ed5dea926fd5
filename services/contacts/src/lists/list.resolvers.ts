import { isUuid, requireRole } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import type { CustomerFilterInput } from '../filter/filter.types';
import { requireRead } from '../customers/customer.access';
import { compileWhere, countWhere, listCustomers } from '../customers/customer.list';
import type { CustomerSort } from '../customers/customer.list';
import { scopeOf } from '../customers/customer.scope';
import { heavy } from '../customers/heavy-work';
import { CustomerListEntity } from './list.entity';
import { createList, deleteList, renameList, splitList } from './list.service';

/** Saving, renaming and deleting lists changes the workspace: admins and editors. */
const LIST_EDITORS = ['admin', 'editor'] as const;

export const listResolvers: Resolvers = {
  Query: {
    customerLists: (_parent, _args, ctx) => {
      requireRead(ctx.identity, 'customerLists');
      return ctx.db
        .getRepository(CustomerListEntity)
        .find({ where: { workspaceId: ctx.workspaceId }, order: { name: 'ASC' } });
    },
    customerList: (_parent, { id }, ctx) => {
      requireRead(ctx.identity, 'customerList');
      if (!isUuid(id)) return null;
      return ctx.db
        .getRepository(CustomerListEntity)
        .findOneBy({ workspaceId: ctx.workspaceId, id });
    },
  },
  Mutation: {
    createCustomerList: async (_parent, { name, filter }, ctx) => {
      requireRole(ctx.identity, LIST_EDITORS, 'createCustomerList');
      return createList(
        ctx.db,
        await scopeOf(ctx),
        ctx.identity.userId,
        name,
        filter as CustomerFilterInput,
      );
    },
    renameCustomerList: (_parent, { id, name }, ctx) => {
      requireRole(ctx.identity, LIST_EDITORS, 'renameCustomerList');
      return renameList(ctx.db, ctx.workspaceId, id, name);
    },
    deleteCustomerList: (_parent, { id }, ctx) => {
      requireRole(ctx.identity, LIST_EDITORS, 'deleteCustomerList');
      return deleteList(ctx.db, ctx.workspaceId, id);
    },
    splitList: async (_parent, { id, parts }, ctx) => {
      // Splitting writes nothing: whoever may read the list may split it.
      requireRead(ctx.identity, 'splitList');
      const scope = await scopeOf(ctx);
      return heavy(ctx.workspaceId, () => splitList(ctx.db, scope, id, parts));
    },
  },
  CustomerList: {
    // A saved list is a filter evaluated now: heavy work, as a filtered list is.
    count: async (list, _args, ctx) => {
      const scope = await scopeOf(ctx);
      return heavy(ctx.workspaceId, async () =>
        countWhere(ctx.db, await compileWhere(ctx.db, scope, { inList: list.id })),
      );
    },
    customers: async (list, args, ctx) => {
      const scope = await scopeOf(ctx);
      const page = await heavy(ctx.workspaceId, () =>
        listCustomers(ctx.db, scope, {
          filter: { inList: list.id },
          sort: args.sort as CustomerSort[] | null,
          first: args.first,
          after: args.after,
        }),
      );
      return { ...page, count: () => heavy(ctx.workspaceId, page.count) };
    },
  },
};
