import type { SubgraphModule } from '@customer-graph/runtime';
import type { Loaders } from './context';
import { ZaloFollowerEntity } from './followers/follower.entity';
import { createFollowerLoaders } from './followers/follower.loaders';
import { followerResolvers } from './followers/follower.resolvers';
import { seedDemoFollowers } from './followers/follower.seed';
import { CreateZaloFollowers1763900000400 } from './migrations/1763900000400-CreateZaloFollowers';

export const followersSubgraph: SubgraphModule<Loaders> = {
  name: 'followers',
  resolvers: [followerResolvers],
  entities: [ZaloFollowerEntity],
  migrations: [CreateZaloFollowers1763900000400],
  createLoaders: createFollowerLoaders,
  seedDemo: seedDemoFollowers,
};
