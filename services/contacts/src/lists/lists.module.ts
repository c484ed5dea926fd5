// Saved customer lists (a named filter) and their splits into parts for campaigns.
import type { DomainModule } from '@customer-graph/runtime';
import { CustomerListEntity } from './list.entity';
import { listResolvers, listAccess } from './list.resolvers';

export const listsModule: DomainModule = {
  name: 'lists',
  resolvers: [listResolvers],
  access: listAccess,
  entities: [CustomerListEntity],
};
