// The partitions' upkeep on real Postgres (a database of its own): past the retention a
// month is dropped from both tables, rows and all; the current month and the next two
// exist; a second run changes nothing.
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { migrateSubgraph, uuidv7 } from '@customer-graph/runtime';
import { createTestDatabase } from '@customer-graph/runtime/testing';
import { marketingSubgraph } from '../subgraph';
import { addMonths, monthStart, partitionMonths, partitionName } from './message.partitions';
import { maintainPartitions } from './message.retention';

let client: Client;
// The partition helpers need only `query` and `transaction`: a plain client answers them.
const query = async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows;
const db = {
  query,
  transaction: async (work: (tx: { query: typeof query }) => Promise<unknown>) => {
    await client.query('BEGIN');
    try {
      const result = await work({ query });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  },
} as unknown as Pick<EntityManager, 'query' | 'transaction'>;

beforeAll(async () => {
  const url = await createTestDatabase('marketing-retention');
  await migrateSubgraph(marketingSubgraph, url);
  client = new Client({ connectionString: url });
  await client.connect();
});
afterAll(() => client?.end());

const iso = (months: Date[]) => months.map((m) => m.toISOString().slice(0, 7));

async function addMessage(createdAt: Date): Promise<void> {
  const id = uuidv7(createdAt.getTime());
  await client.query(
    `INSERT INTO marketing_message (id, workspace_id, customer_id, campaign_name, channel, created_at)
     VALUES ($1, 'w-retention', gen_random_uuid(), 'c', 'SMS', $2)`,
    [id, createdAt],
  );
  await client.query(
    `INSERT INTO message_event (workspace_id, message_id, message_created_at, status, at,
       provider_event_id) VALUES ('w-retention', $1, $2, 'SENT', $2, 'send')`,
    [id, createdAt],
  );
}

it('drops the months past the retention and keeps the current one and the next two', async () => {
  const month = monthStart(new Date());
  // The migration made the default retention's months back to two ahead.
  const before = await partitionMonths(db);
  expect(iso(before)).toContain(iso([addMonths(month, 2)])[0]);
  const oldest = before[0];
  await addMessage(new Date(oldest.getTime() + 86_400_000)); // to be dropped
  await addMessage(new Date(addMonths(month, 2).getTime() + 3_600_000)); // kept

  // Five months on, keeping 3 months before the current: from month + 2.
  const now = new Date(addMonths(month, 5).getTime() + 10 * 86_400_000);
  const dropped = await maintainPartitions(db, 3, now);
  expect(iso(dropped)).toEqual(iso(before.filter((m) => m < addMonths(month, 2))));
  const after = [2, 5, 6, 7].map((k) => addMonths(month, k));
  expect(iso(await partitionMonths(db))).toEqual(iso(after));
  // message_event's partitions follow marketing_message's.
  const { rows } = await client.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'message_event' ORDER BY 1`,
  );
  expect(rows.map((r) => r.name)).toEqual(after.map((m) => partitionName('message_event', m)));
  const count = async (table: string) =>
    (await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
  expect([await count('marketing_message'), await count('message_event')]).toEqual([1, 1]);

  // A second run the same day finds nothing to do.
  expect(await maintainPartitions(db, 3, now)).toEqual([]);
  expect(iso(await partitionMonths(db))).toEqual(iso(after));
});
