import type { Resolvers } from '../generated/graphql';
import type { CustomerFilterInput } from '../filter/filter.types';
import { requireRead } from '../customers/customer.access';
import { readView, saveView } from './user-view.service';
import type { ViewChanges } from './user-view.service';

export const userViewResolvers: Resolvers = {
  Query: {
    myView: (_parent, _args, ctx) => {
      requireRead(ctx.identity, 'myView');
      return readView(ctx.db, ctx.identity);
    },
  },
  Mutation: {
    saveMyView: async (_parent, { input }, ctx) => {
      requireRead(ctx.identity, 'saveMyView');
      const changes: ViewChanges = {
        ...input,
        savedFilter: input.savedFilter as CustomerFilterInput,
      };
      if (!('savedFilter' in input)) delete changes.savedFilter;
      return saveView(ctx.db, ctx.identity, await ctx.loaders.customFields.all(), changes);
    },
  },
};
