// Each user's own view of the customer list (columns, sort, a saved filter, detail
// tabs), and the workspace's default tabs an admin sets for those who chose none.
import type { DomainModule } from '@customer-graph/runtime';
import { userViewResolvers, userViewAccess } from './user-view.resolvers';

export const viewsModule: DomainModule = {
  name: 'views',
  resolvers: [userViewResolvers],
  access: userViewAccess,
};
