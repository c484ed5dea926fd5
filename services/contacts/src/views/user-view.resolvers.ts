import type { Resolvers } from '../generated/graphql';
import type { CustomerFilterInput } from '../filter/filter.types';
import type { AccessRules } from '@customer-graph/runtime';
import { readView, saveView } from './user-view.service';
import type { ViewChanges } from './user-view.service';

export const userViewResolvers: Resolvers = {
  Query: {
    myView: (_parent, _args, ctx) => {
      return readView(ctx.db, ctx.identity);
    },
  },
  Mutation: {
    saveMyView: async (_parent, { input }, ctx) => {
      const changes: ViewChanges = {
        ...input,
        savedFilter: input.savedFilter as CustomerFilterInput,
      };
      if (!('savedFilter' in input)) delete changes.savedFilter;
      return saveView(ctx.db, ctx.identity, await ctx.loaders.customFields.all(), changes);
    },
  },
};

export const userViewAccess: AccessRules = {
  'Query.myView': { can: 'customers.read' },
  'Mutation.saveMyView': { can: 'customers.read' },
};
