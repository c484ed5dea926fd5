import { runSubgraph } from '@customer-graph/runtime';
import { followersSubgraph } from './subgraph';

void runSubgraph(followersSubgraph);
