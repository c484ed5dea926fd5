// The OA's followers: the list, `Customer.zaloFollowers` (and `zaloFollower`, the most
// recent), `ZaloFollower.customer`, and the links contacts announces (and a merge of
// customers moves).
import { CUSTOMER_DELETED, CUSTOMER_MERGED, CUSTOMER_ZALO_LINKED } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { onCustomerZaloLinked } from './customer-linked.handler';
import { onCustomerDeleted } from './customer-deleted.handler';
import { onCustomerMerged } from './customer-merged.handler';
import { ZaloFollowerEntity } from './follower.entity';
import { createFollowerLoaders } from './follower.loaders';
import { followerAccess, followerResolvers } from './follower.resolvers';
import { seedDemoFollowers } from './follower.seed';

export const followersModule: DomainModule = {
  name: 'followers',
  resolvers: [followerResolvers],
  access: followerAccess,
  entities: [ZaloFollowerEntity],
  loaders: createFollowerLoaders,
  seedDemo: seedDemoFollowers,
  consumes: {
    [CUSTOMER_ZALO_LINKED]: onCustomerZaloLinked,
    [CUSTOMER_DELETED]: onCustomerDeleted,
    [CUSTOMER_MERGED]: onCustomerMerged,
  },
};
