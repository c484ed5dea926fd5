import type { ServiceContext } from '@customer-graph/runtime';
import type { OrderLoaders } from './orders/order.loaders';

export type Loaders = OrderLoaders;
export type Context = ServiceContext<Loaders>;
