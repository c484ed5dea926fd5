import type { ServiceContext } from '@customer-graph/runtime';
import type { FollowerLoaders } from './followers/follower.loaders';

export type Loaders = FollowerLoaders;
export type Context = ServiceContext<Loaders>;
