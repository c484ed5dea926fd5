export { followersSubgraph } from './subgraph';
/** How Zalo signs webhook events; exported for test and benchmark senders. */
export { zaloSignature } from './webhook/zalo-event';
