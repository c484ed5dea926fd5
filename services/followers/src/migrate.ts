import { runMigrate } from '@customer-graph/runtime';
import { followersSubgraph } from './subgraph';

// The migrate step of this service (see runtime migrate.ts): run once per deploy.
void runMigrate(followersSubgraph);
