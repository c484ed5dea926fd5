export { ordersLoyaltySubgraph } from './subgraph';
