import { runSubgraph } from '@customer-graph/runtime';
import { ordersLoyaltySubgraph } from './subgraph';

void runSubgraph(ordersLoyaltySubgraph);
