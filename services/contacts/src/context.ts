import type { ServiceContext } from '@customer-graph/runtime';
import type { CustomerLoaders } from './customers/customer.loaders';

export type Loaders = CustomerLoaders;
export type Context = ServiceContext<Loaders>;
