export { followersSubgraph, followersSubgraph as subgraph } from './subgraph';
/** How Zalo signs webhook events, and how fresh they must be; for test and benchmark senders. */
export { EVENT_FRESHNESS_MS, zaloSignature } from './webhook/zalo-event';
