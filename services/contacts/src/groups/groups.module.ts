// Customer groups (PRIORITY, RESTRICTED) marked from an uploaded phone list; the numbers
// no customer has are remembered for whoever gets them later.
import type { DomainModule } from '@customer-graph/runtime';
import { phoneGroupResolvers, phoneGroupAccess } from './phone-group.resolvers';
import { RememberedPhones1766100000100 } from './migrations/1766100000100-RememberedPhones';

export const groupsModule: DomainModule = {
  name: 'groups',
  resolvers: [phoneGroupResolvers],
  access: phoneGroupAccess,
  migrations: [RememberedPhones1766100000100],
};
