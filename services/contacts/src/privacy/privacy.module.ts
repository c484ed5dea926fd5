// Privacy (issue 15, docs/privacy.md): erasing a person from every subgraph
// (`eraseCustomer`, `customerErasure`; the other subgraphs' answers), and exporting one
// person's data.
import type { DomainModule } from '@customer-graph/runtime';
import { erasureDoneHandlers } from './erasure-done.handler';
import { erasureAccess, erasureResolvers } from './erasure.resolvers';
import { CustomerErasure1766300000000 } from './migrations/1766300000000-CustomerErasure';

export const privacyModule: DomainModule = {
  name: 'privacy',
  resolvers: [erasureResolvers],
  access: erasureAccess,
  migrations: [CustomerErasure1766300000000],
  consumes: { ...erasureDoneHandlers },
};
