import { runMigrate } from '@customer-graph/runtime';
import { contactsSubgraph } from './subgraph';

// The migrate step of this service (see runtime migrate.ts): run once per deploy.
void runMigrate(contactsSubgraph);
