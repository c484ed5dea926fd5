// The OA's followers: the list, `Customer.zaloFollower`, `ZaloFollower.customer`, and
// the links contacts announces.
import type { DomainModule } from '@customer-graph/runtime';
import { CUSTOMER_ZALO_LINKED, onCustomerZaloLinked } from './customer-linked.handler';
import { CUSTOMER_DELETED, onCustomerDeleted } from './customer-deleted.handler';
import { ZaloFollowerEntity } from './follower.entity';
import { createFollowerLoaders } from './follower.loaders';
import { followerResolvers } from './follower.resolvers';
import { seedDemoFollowers } from './follower.seed';

export const followersModule: DomainModule = {
  name: 'followers',
  resolvers: [followerResolvers],
  entities: [ZaloFollowerEntity],
  loaders: createFollowerLoaders,
  seedDemo: seedDemoFollowers,
  consumes: {
    [CUSTOMER_ZALO_LINKED]: onCustomerZaloLinked,
    [CUSTOMER_DELETED]: onCustomerDeleted,
  },
};
