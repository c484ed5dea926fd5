import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The campaigns whose audience contacts has answered (audience/audience-requested.handler.ts),
 * refused ones included: a second request for one campaign (a redelivery under a new
 * event id) finds its row and publishes nothing. Written in the transaction that
 * publishes the answer, so a row means the answer is in the outbox.
 */
export class AudienceAnswer1765400000110 implements MigrationInterface {
  name = 'AudienceAnswer1765400000110';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audience_answer (
        workspace_id text NOT NULL,
        campaign_id uuid NOT NULL,
        answered_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, campaign_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audience_answer');
  }
}
