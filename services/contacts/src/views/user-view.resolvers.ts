import type { Resolvers } from '../generated/graphql';
import type { CustomerFilterInput } from '../filter/filter.types';
import type { AccessRules } from '@customer-graph/runtime';
import { readView, saveView } from './user-view.service';
import type { ViewChanges } from './user-view.service';
import { readWorkspaceView, saveWorkspaceView } from './workspace-view.service';

export const userViewResolvers: Resolvers = {
  Query: {
    myView: (_parent, _args, ctx) => {
      return readView(ctx.db, ctx.identity);
    },
    workspaceView: (_parent, _args, ctx) => readWorkspaceView(ctx.db, ctx.workspaceId),
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
    saveWorkspaceView: (_parent, { input }, ctx) => saveWorkspaceView(ctx.db, ctx.identity, input),
  },
};

export const userViewAccess: AccessRules = {
  'Query.myView': { can: 'customers.read' },
  'Mutation.saveMyView': { can: 'customers.read' },
  // The default tabs name no customer: every role of the workspace may read them.
  'Query.workspaceView': { can: 'settings.read' },
  'Mutation.saveWorkspaceView': { can: 'settings.manage' },
};
