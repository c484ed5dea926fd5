// Privacy (issue 15, docs/privacy.md): erasing a person from every subgraph
// (`eraseCustomer`, `customerErasure`; the other subgraphs' answers), and exporting one
// person's data.
import type { DomainModule } from '@customer-graph/runtime';
import { erasureDoneHandlers } from './erasure-done.handler';
import { erasureAccess, erasureResolvers } from './erasure.resolvers';
import { CustomerErasure1766300000000 } from './migrations/1766300000000-CustomerErasure';
import { PersonExport1766300000010 } from './migrations/1766300000010-PersonExport';
import { personExportAccess, personExportResolvers } from './person-export.resolvers';
import { personExportHandlers } from './person-export.write';

export const privacyModule: DomainModule = {
  name: 'privacy',
  resolvers: [erasureResolvers, personExportResolvers],
  access: { ...erasureAccess, ...personExportAccess },
  migrations: [CustomerErasure1766300000000, PersonExport1766300000010],
  consumes: { ...erasureDoneHandlers, ...personExportHandlers },
};
