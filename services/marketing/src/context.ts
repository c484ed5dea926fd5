import type { ServiceContext } from '@customer-graph/runtime';
import type { MessageLoaders } from './messages/message.loaders';

export type Loaders = MessageLoaders;
export type Context = ServiceContext<Loaders>;
