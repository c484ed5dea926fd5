import { pageOf } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { CALLS_NEWEST_FIRST, listCalls } from './call.list';
import { heavy } from '../customers/heavy-work';
import { callStats, callStatsKeys } from './call.stats';
import { recordCalls } from './call.record';
import { callProvider, connectCallProvider, disconnectCallProvider } from './call.provider';

export const callResolvers: Resolvers = {
  Customer: {
    calls: async (customer, args, ctx, info) => {
      const filter = args.filter ?? null;
      const page = pageOf(args, info, CALLS_NEWEST_FIRST);
      const connection = await ctx.loaders.calls.byCustomer({ page, filter }).load(customer.id);
      return {
        ...connection,
        count: () => ctx.loaders.calls.countByCustomer(filter).load(customer.id),
      };
    },
  },
  Query: {
    calls: (_root, args, ctx, info) =>
      listCalls(ctx.db, ctx.workspaceId, ctx.access.scope, args, info),
    callStats: (_root, { filter, groupBy, thenBy }, ctx) => {
      const keys = callStatsKeys(groupBy, thenBy);
      // A grouping reads every call the filter selects: heavy work, as customerStats is.
      return heavy(ctx.workspaceId, () =>
        callStats(ctx.db, ctx.workspaceId, ctx.access.scope, filter, keys),
      );
    },
    callProvider: (_root, _args, ctx) => callProvider(ctx.db, ctx.workspaceId),
  },
  Mutation: {
    recordCalls: (_root, { calls }, ctx) => recordCalls(ctx.db, ctx.workspaceId, calls),
    connectCallProvider: (_root, { provider, secret }, ctx) =>
      connectCallProvider(ctx.db, ctx.secrets, ctx.workspaceId, provider, secret),
    disconnectCallProvider: (_root, _args, ctx) => disconnectCallProvider(ctx.db, ctx.workspaceId),
  },
  CallConnection: {
    totalCount: (page) => page.count(),
  },
  Call: {
    customerNumberE164: (call) => call.customerE164,
    ringDuration: (call) => call.ringSeconds,
    talkDuration: (call) => call.talkSeconds,
    customer: (call, _args, ctx) => ctx.loaders.customers.customerById.load(call.customerId),
  },
};

const A_CALL = 'a field of a call its list already scoped';

export const callAccess: AccessRules = {
  // The tab: null for a customer the caller may not see; all of that customer's calls.
  'Customer.calls': { can: 'customers.read', customer: (c: { id: string }) => c.id },
  // Scoped in SQL by the call's customer (call.filter.ts), the figures too.
  'Query.calls': { can: 'customers.read' },
  'Query.callStats': { can: 'customers.read' },
  // Names no customer: what every role of the workspace may read.
  'Query.callProvider': { can: 'settings.read' },
  // Phone-system connectors and scripts: the workspace's admins and editors.
  'Mutation.recordCalls': { can: 'workspace.edit' },
  // Where the workspace's calls come from: admins.
  'Mutation.connectCallProvider': { can: 'settings.manage' },
  'Mutation.disconnectCallProvider': { can: 'settings.manage' },
  'CallConnection.totalCount': { inherit: 'counts the list its parent field scoped' },
  'Call.customerNumberE164': { inherit: A_CALL },
  'Call.ringDuration': { inherit: A_CALL },
  'Call.talkDuration': { inherit: A_CALL },
  'Call.customer': {
    can: 'customers.read',
    customer: (c: { customerId: string }) => c.customerId,
  },
};
