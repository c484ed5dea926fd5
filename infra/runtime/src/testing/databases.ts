// For integration tests: a fresh database on the run's real Postgres server (the
// jest global setup starts one and sets CG_TEST_POSTGRES_URL), so suites never share
// state.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

function adminUrl(): string {
  const url = process.env.CG_TEST_POSTGRES_URL;
  if (!url) throw new Error('CG_TEST_POSTGRES_URL is not set: the jest global setup did not run');
  return url;
}

/** Creates an empty database named after the suite and returns its URL. */
export async function createTestDatabase(label: string): Promise<string> {
  const slug = label
    .replace(/[^a-z0-9]/gi, '_')
    .toLowerCase()
    .slice(0, 40);
  const name = `t_${slug}_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}
