// Possible duplicates (seed 003, "Khách hàng trùng SĐT"): the customers sharing a
// customer's phones or email, and every holder of a phone number.
import type { DomainModule } from '@customer-graph/runtime';
import { createDuplicateLoaders } from './same-number.loaders';
import { duplicateAccess, duplicateResolvers } from './duplicates.resolvers';

export const duplicatesModule: DomainModule = {
  name: 'duplicates',
  resolvers: [duplicateResolvers],
  access: duplicateAccess,
  loaders: createDuplicateLoaders,
};
