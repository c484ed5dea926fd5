// The request context of contacts' resolvers. Each domain module adds its per-request
// loaders to `Loaders` under its own name (declaration merging, in its
// `<name>.loaders.ts`), so this file names no module and no module waits on another.
import type { ServiceContext } from '@customer-graph/runtime';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Loaders {}

export type Context = ServiceContext<Loaders>;
