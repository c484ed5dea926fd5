// The request context of followers's resolvers. Each domain module adds its per-request
// loaders to `Loaders` under its own name (declaration merging, in its loaders file).
import type { ServiceContext } from '@customer-graph/runtime';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Loaders {}

export type Context = ServiceContext<Loaders>;
