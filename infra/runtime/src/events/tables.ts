// The event tables every subgraph database has: the outbox (events waiting for
// Kafka), the inbox (event ids already applied) and the dead letters.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEventTables1763900000050 implements MigrationInterface {
  name = 'CreateEventTables1763900000050';

  async up(q: QueryRunner): Promise<void> {
    // seq orders publication: per key, events leave in the order they committed.
    await q.query(`
      CREATE TABLE outbox (
        seq bigserial PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        workspace_id text NOT NULL,
        topic text NOT NULL,
        key text NOT NULL,
        value jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await q.query('CREATE INDEX outbox_unsent_idx ON outbox (seq) WHERE sent_at IS NULL');
    await q.query(`
      CREATE TABLE inbox (
        event_id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        topic text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE dead_letter (
        id bigserial PRIMARY KEY,
        workspace_id text,
        event_id text,
        topic text NOT NULL,
        partition int NOT NULL,
        "offset" text NOT NULL,
        error text NOT NULL,
        value text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE dead_letter');
    await q.query('DROP TABLE inbox');
    await q.query('DROP TABLE outbox');
  }
}
