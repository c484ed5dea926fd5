// Test-only helpers, exported as @customer-graph/runtime/testing.
export * from './databases';
export * from './errors';
export * from './kafka';
export * from './subgraph';
export * from './events';
export * from './metrics';
export * from './random';
export * from './totals';
