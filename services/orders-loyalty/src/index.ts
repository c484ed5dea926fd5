export { ordersLoyaltySubgraph, ordersLoyaltySubgraph as subgraph } from './subgraph';
/** How Shopee signs its pushes, and how fresh they must be; for test senders. */
export { PUSH_FRESHNESS_MS, shopeeSignature } from './shops/shopee-push';
/** For bench:analytics, which times and EXPLAINs the statement orderStats runs. */
export { orderStatsQuery } from './analytics/order-stats';
