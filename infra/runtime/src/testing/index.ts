// Test-only helpers, exported as @customer-graph/runtime/testing.
export * from './databases';
export * from './kafka';
export * from './subgraph';
