import { runSubgraph } from '@customer-graph/runtime';
import { marketingSubgraph } from './subgraph';

void runSubgraph(marketingSubgraph);
