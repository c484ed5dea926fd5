// Migrations are a step of their own: a service refuses a database that is behind its
// code, naming the command that brings it up to date.
import { randomBytes } from 'node:crypto';
import {
  PendingMigrationsError,
  createLogger,
  defineSubgraph,
  migrateSubgraph,
  openPool,
  startSubgraph,
  subgraphDatabaseOptions,
  subgraphConfigFor,
} from '../src';
import { assertMigrated } from '../src/migrate';
import { createTestDatabase } from '../src/testing';

const marketing = defineSubgraph({ name: 'marketing', assignments: 'projected', modules: [] });

it('refuses to start on an unmigrated database, naming npm run migrate; passes once migrated', async () => {
  const url = await createTestDatabase('unmigrated');
  const config = subgraphConfigFor('marketing', {
    databaseUrl: url,
    contextSigningSecret: randomBytes(32).toString('hex'),
    dataEncryptionKey: randomBytes(32),
    logLevel: 'error',
  });
  const refused = await startSubgraph(marketing, config, createLogger('error')).catch((e) => e);
  expect(refused).toBeInstanceOf(PendingMigrationsError);
  expect((refused as Error).message).toMatch(/run `npm run migrate`/);

  const applied = await migrateSubgraph(marketing, url);
  expect(applied).toContain('CreateCustomerAccess1763900000060');
  expect(await migrateSubgraph(marketing, url)).toEqual([]);
  const db = await openPool(subgraphDatabaseOptions(marketing, url));
  try {
    await expect(assertMigrated('marketing', db)).resolves.toBeUndefined();
  } finally {
    await db.destroy();
  }
});
