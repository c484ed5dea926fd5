// Sales opportunities with a customer ("Cơ hội KD", seed 003): `Customer.opportunities`,
// `Query.opportunities`, `pipelineSummary`, the workspace's stage order, and create,
// update and move. docs/tasks.md.
import type { DomainModule } from '@customer-graph/runtime';
import { OpportunityEntity } from './opportunity.entity';
import { createOpportunityLoaders } from './opportunity.loaders';
import { opportunityAccess, opportunityResolvers } from './opportunity.resolvers';
import { seedDemoOpportunities } from './opportunity.seed';
import { CreateOpportunities1764700000520 } from './migrations/1764700000520-CreateOpportunities';

export const opportunitiesModule: DomainModule = {
  name: 'opportunities',
  resolvers: [opportunityResolvers],
  access: opportunityAccess,
  entities: [OpportunityEntity],
  migrations: [CreateOpportunities1764700000520],
  loaders: createOpportunityLoaders,
  seedDemo: seedDemoOpportunities,
};
