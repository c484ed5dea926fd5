// `npm run migrate`: every subgraph of the registry migrated on its own database, once.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { SUBGRAPH_NAMES, repoRoot, subgraphVariables } from '@customer-graph/runtime';
import { createTestDatabase } from '@customer-graph/runtime/testing';

const run = promisify(execFile);

async function migrate(env: Record<string, string>): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'infra/dev/src/migrate.main.ts'],
    { cwd: repoRoot(), env: { ...process.env, ...env } },
  );
  return stdout;
}

it('applies every subgraph’s migrations on the databases it is given, and nothing twice', async () => {
  const env: Record<string, string> = {};
  for (const name of SUBGRAPH_NAMES) {
    env[subgraphVariables(name).database] = await createTestDatabase(`migrate-${name}`);
  }
  const first = await migrate(env);
  for (const name of SUBGRAPH_NAMES)
    expect(first).toMatch(new RegExp(`${name}: applied \\d+ migrations`));
  const again = await migrate(env);
  expect(again).not.toMatch(/applied/);
  expect(again).toMatch(/up to date/);
  const client = new Client({
    connectionString: env[subgraphVariables('orders-loyalty').database],
  });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT to_regclass('customer_order') AS orders, to_regclass('customer_access') AS access`,
    );
    expect(rows[0]).toEqual({ orders: 'customer_order', access: 'customer_access' });
  } finally {
    await client.end();
  }
}, 60_000);
