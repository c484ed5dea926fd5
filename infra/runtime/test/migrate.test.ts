// Migrations are a step of their own: a service refuses a database that is behind its
// code, naming the command that brings it up to date.
import { randomBytes } from 'node:crypto';
import {
  DEFAULT_LOYALTY_SWEEP_INTERVAL_MS,
  DEFAULT_MARKETING_RETENTION_MONTHS,
  DEFAULT_MARKETING_SENDING,
  DEFAULT_PUBLIC_WEBHOOK_BASE_URL,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  PendingMigrationsError,
  createLogger,
  defineSubgraph,
  migrateSubgraph,
  openPool,
  startSubgraph,
  subgraphDatabaseOptions,
} from '../src';
import { assertMigrated } from '../src/migrate';
import { createTestDatabase } from '../src/testing';

const marketing = defineSubgraph({ name: 'marketing', assignments: 'projected', modules: [] });

it('refuses to start on an unmigrated database, naming npm run migrate; passes once migrated', async () => {
  const url = await createTestDatabase('unmigrated');
  const config = {
    service: 'marketing',
    host: '127.0.0.1',
    port: 0,
    databaseUrl: url,
    contextSigningSecret: randomBytes(32).toString('hex'),
    dataEncryptionKey: randomBytes(32),
    logLevel: 'error' as const,
    demoWorkspaceId: undefined,
    exposeErrorDetails: false,
    kafkaBrokers: undefined,
    kafkaTopicPrefix: '',
    statementTimeoutMs: DEFAULT_STATEMENT_TIMEOUT_MS,
    publicWebhookBaseUrl: DEFAULT_PUBLIC_WEBHOOK_BASE_URL,
    loyaltySweepIntervalMs: DEFAULT_LOYALTY_SWEEP_INTERVAL_MS,
    marketingRetentionMonths: DEFAULT_MARKETING_RETENTION_MONTHS,
    marketingSending: DEFAULT_MARKETING_SENDING,
  };
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
