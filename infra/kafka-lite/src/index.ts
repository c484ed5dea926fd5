// Public entry of @customer-graph/kafka-lite.

export { startBroker, defaultLogger } from './broker';
export type { Broker, BrokerOptions } from './broker';
export type { Logger } from './core';
