// The four subgraph modules in the baseline's one process: each with its schema (its
// SDL with its guarded resolvers, as buildSchema makes it for the subgraph) and one
// pool on its own database, and per request the context its subgraph would build for
// the caller (runtime subgraph.ts): workspace ensured, access from the identity,
// loaders scoped to the workspace and the access.
import { randomBytes } from 'node:crypto';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { subgraph as contacts } from '@customer-graph/contacts';
import { subgraph as followers } from '@customer-graph/followers';
import { subgraph as marketing } from '@customer-graph/marketing';
import { subgraph as ordersLoyalty } from '@customer-graph/orders-loyalty';
import {
  DEFAULT_STATEMENT_TIMEOUT_MS,
  buildSchema,
  createLogger,
  createRequestAccess,
  createSecretBox,
  createWorkspaceProvisioner,
  openPool,
  subgraphDatabase,
  subgraphDatabaseOptions,
} from '@customer-graph/runtime';
import type {
  Identity,
  ServiceContext,
  SubgraphModule,
  SubgraphName,
  WorkspaceProvisioner,
} from '@customer-graph/runtime';
import { postgresUrl } from '../../src/postgres';
import type { Contexts } from './baseline.run';

const MODULES: SubgraphModule<unknown>[] = [
  contacts as SubgraphModule<unknown>,
  followers as SubgraphModule<unknown>,
  ordersLoyalty as SubgraphModule<unknown>,
  marketing as SubgraphModule<unknown>,
];

interface Subgraph {
  module: SubgraphModule<unknown>;
  schema: GraphQLSchema;
  db: DataSource;
  provisioner: WorkspaceProvisioner;
}

export interface Subgraphs {
  schemas: Record<string, GraphQLSchema>;
  /** The contexts of one request, one per subgraph. */
  contexts(identity: Identity): Promise<Contexts>;
  close(): Promise<void>;
}

export async function openSubgraphs(postgresPort: number): Promise<Subgraphs> {
  const logger = createLogger('error');
  // The page reads no sealed secret; the contexts carry a box as the subgraphs' do.
  const secrets = createSecretBox(randomBytes(32));
  const subgraphs: Subgraph[] = await Promise.all(
    MODULES.map(async (module) => {
      const url = postgresUrl(postgresPort, subgraphDatabase(module.name as SubgraphName));
      const db = await openPool({
        ...subgraphDatabaseOptions(module, url),
        applicationName: `customer-graph-baseline-${module.name}`,
        statementTimeoutMs: DEFAULT_STATEMENT_TIMEOUT_MS.screens,
      });
      return {
        module,
        schema: buildSchema(module),
        db,
        provisioner: createWorkspaceProvisioner(db),
      };
    }),
  );
  return {
    schemas: Object.fromEntries(subgraphs.map((s) => [s.module.name, s.schema])),
    contexts: async (identity) => {
      const { workspaceId } = identity;
      await Promise.all(subgraphs.map((s) => s.provisioner.ensure(workspaceId)));
      return Object.fromEntries(
        subgraphs.map(({ module, db }): [string, ServiceContext<unknown>] => {
          const access = createRequestAccess(identity, db, module.assignedCustomers);
          return [
            module.name,
            {
              identity,
              access,
              workspaceId,
              db,
              logger,
              secrets,
              loaders: module.createLoaders(db, workspaceId, identity, access),
            },
          ];
        }),
      );
    },
    close: async () => {
      await Promise.all(subgraphs.map((s) => s.db.destroy()));
    },
  };
}
