// The request context of followers's resolvers. Each domain module adds its per-request
// loaders to `Loaders` under its own name (declaration merging, in its loaders file).
import type { CustomerAccessLoaders, ServiceContext } from '@customer-graph/runtime';

export interface Loaders {
  /** The runtime's customerAccess module, which every projected subgraph has. */
  customerAccess: CustomerAccessLoaders;
}

export type Context = ServiceContext<Loaders>;
