// Merging duplicate customers (seed 003, "Khách hàng trùng SĐT"): `mergeCustomers`
// (dry run and merge), the participant registry of contacts' rows that follow a
// customer, the merged-id mapping the customer loaders read, and the audit. See
// docs/merge.md.
import type { DomainModule } from '@customer-graph/runtime';
import { mergeAccess, mergeResolvers } from './merge.resolvers';
import { CustomerMerge1764700000100 } from './migrations/1764700000100-CustomerMerge';

export const mergeModule: DomainModule = {
  name: 'merge',
  resolvers: [mergeResolvers],
  access: mergeAccess,
  migrations: [CustomerMerge1764700000100],
};
