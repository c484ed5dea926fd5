// The per-pool statement timeout on the run's real Postgres: a statement running
// longer than the pool allows is cancelled by the server (57014), and migrations,
// which may legitimately take longer, run on a connection without the limit.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { openDatabase } from '../src/database';
import { createTestDatabase } from '../src/testing';

class SlowMigration1700000000000 implements MigrationInterface {
  name = 'SlowMigration1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query('SELECT pg_sleep(0.3)');
    await q.query('CREATE TABLE slow_done (id int)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE slow_done');
  }
}

describe('statement timeout per pool', () => {
  it('cancels a statement over the limit, and not one under it; migrations are not limited', async () => {
    const db = await openDatabase({
      url: await createTestDatabase('statement-timeout'),
      applicationName: 'statement-timeout-test',
      entities: [],
      migrations: [SlowMigration1700000000000],
      statementTimeoutMs: 200,
    });
    try {
      // The 300 ms migration ran despite the 200 ms limit of the serving pool.
      await expect(db.query('SELECT count(*)::int AS n FROM slow_done')).resolves.toEqual([
        { n: 0 },
      ]);
      await expect(db.query('SELECT pg_sleep(0.05)')).resolves.toHaveLength(1);
      await expect(db.query('SELECT pg_sleep(2)')).rejects.toMatchObject({
        driverError: expect.objectContaining({ code: '57014' }),
      });
      const [{ statement_timeout }] = await db.query('SHOW statement_timeout');
      expect(statement_timeout).toBe('200ms');
    } finally {
      await db.destroy();
    }
  });
});
