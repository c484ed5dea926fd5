// Customer groups (PRIORITY, RESTRICTED) marked from an uploaded phone list.
import type { DomainModule } from '@customer-graph/runtime';
import { phoneGroupResolvers, phoneGroupAccess } from './phone-group.resolvers';

export const groupsModule: DomainModule = {
  name: 'groups',
  resolvers: [phoneGroupResolvers],
  access: phoneGroupAccess,
};
