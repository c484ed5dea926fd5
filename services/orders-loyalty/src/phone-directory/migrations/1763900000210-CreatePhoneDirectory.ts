import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * phone_directory: who has which number, one row per (number, customer) — contacts lets
 * two customers hold one number, and dropping it from one must not lose the other.
 * occurred_at is when that customer was first seen with it (the earliest holder answers
 * customerByPhone). phone_directory_customer: per customer, the time of the newest
 * event applied and whether the customer is deleted, so an older event arriving late
 * changes nothing and a deleted customer's numbers never come back.
 */
export class CreatePhoneDirectory1763900000210 implements MigrationInterface {
  name = 'CreatePhoneDirectory1763900000210';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE phone_directory (
        workspace_id text NOT NULL,
        e164 text NOT NULL,
        customer_id uuid NOT NULL,
        occurred_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, e164, customer_id)
      )`);
    await q.query(
      'CREATE INDEX phone_directory_customer_idx ON phone_directory (workspace_id, customer_id)',
    );
    await q.query(`
      CREATE TABLE phone_directory_customer (
        workspace_id text NOT NULL,
        customer_id uuid NOT NULL,
        occurred_at timestamptz NOT NULL,
        deleted boolean NOT NULL DEFAULT false,
        PRIMARY KEY (workspace_id, customer_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE phone_directory_customer');
    await q.query('DROP TABLE phone_directory');
  }
}
