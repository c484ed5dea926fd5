import { pageOf } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { OPPORTUNITIES_NEWEST_FIRST, listOpportunities } from './opportunity.list';
import { setStageOrder, stageOrder } from './opportunity.stages';
import { pipelineSummary } from './opportunity.summary';
import { createOpportunity, moveOpportunity, updateOpportunity } from './opportunity.write';

export const opportunityResolvers: Resolvers = {
  Query: {
    opportunities: (_root, args, ctx, info) =>
      listOpportunities(ctx.db, ctx.workspaceId, ctx.access.scope, args, info),
    pipelineSummary: (_root, { filter, wonFrom, wonTo }, ctx) =>
      pipelineSummary(ctx.db, ctx.workspaceId, ctx.access.scope, filter, wonFrom, wonTo),
    opportunityStages: (_root, _args, ctx) => stageOrder(ctx.db, ctx.workspaceId),
  },
  Mutation: {
    createOpportunity: (_root, { input }, ctx) =>
      ctx.db.transaction((tx) => createOpportunity(tx, ctx.identity, input)),
    updateOpportunity: (_root, { id, input }, ctx) =>
      ctx.db.transaction((tx) => updateOpportunity(tx, ctx.identity, id, input)),
    moveOpportunity: (_root, { id, stage }, ctx) =>
      ctx.db.transaction((tx) => moveOpportunity(tx, ctx.identity, id, stage)),
    setOpportunityStageOrder: (_root, { stages }, ctx) =>
      setStageOrder(ctx.db, ctx.identity, stages),
  },
  Customer: {
    opportunities: async (customer, args, ctx, info) => {
      const page = pageOf(args, info, OPPORTUNITIES_NEWEST_FIRST);
      const { opportunities } = ctx.loaders;
      const connection = await opportunities.byCustomer(page).load(customer.id);
      return { ...connection, count: () => opportunities.countByCustomer.load(customer.id) };
    },
  },
  OpportunityConnection: {
    totalCount: (page) => page.count(),
  },
  Opportunity: {
    // Null for a customer the caller may not see (a staff member's own opportunity
    // with another's customer): the customers loader is scoped.
    customer: (o, _args, ctx) => ctx.loaders.customers.customerById.load(o.customerId),
    stageHistory: (o, _args, ctx) => ctx.loaders.opportunities.history.load(o.id),
  },
};

export const opportunityAccess: AccessRules = {
  // Scoped in SQL (opportunityScopeSql): staff get their customers' and their own.
  'Query.opportunities': { can: 'customers.read' },
  'Query.pipelineSummary': { can: 'customers.read' },
  // Names no customer: every role reads the workspace's stage order.
  'Query.opportunityStages': { can: 'settings.read' },
  // The service checks the customer (staff: theirs) and the opportunity (staff: theirs to see).
  'Mutation.createOpportunity': { can: 'customers.write' },
  'Mutation.updateOpportunity': { can: 'customers.write' },
  'Mutation.moveOpportunity': { can: 'customers.write' },
  'Mutation.setOpportunityStageOrder': { can: 'settings.manage' },
  'Customer.opportunities': { can: 'customers.read', customer: (c: { id: string }) => c.id },
  'OpportunityConnection.totalCount': { inherit: 'counts the list its parent field scoped' },
  'Opportunity.customer': {
    can: 'customers.read',
    customer: (o: { customerId: string }) => o.customerId,
  },
  'Opportunity.stageHistory': { inherit: 'a field of an opportunity already checked' },
};
