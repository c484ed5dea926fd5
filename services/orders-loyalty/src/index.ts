export { ordersLoyaltySubgraph, ordersLoyaltySubgraph as subgraph } from './subgraph';
