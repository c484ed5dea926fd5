import { runSubgraph } from '@customer-graph/runtime';
import { contactsSubgraph } from './subgraph';

void runSubgraph(contactsSubgraph);
