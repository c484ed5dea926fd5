import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sales opportunities with a customer (issue 12, "Cơ hội KD"). An opportunity belongs
 * to one customer and goes with it (ON DELETE CASCADE). Its value is whole đồng, never
 * negative; `closed_at` is set exactly when the stage is WON or LOST (terminal). Each
 * stage entered is a row of `opportunity_stage_change`, ordered by `seq`. The stage
 * order of a workspace is a row of `opportunity_stage_order` (none: the default
 * order). Every index leads with workspace_id; list indexes end with (created_at
 * DESC, id DESC), the keyset of every opportunity list; won ones by close time serve
 * the pipeline summary's period.
 */
const STAGES = `'DISCOVERY', 'QUOTE', 'NEGOTIATION', 'WON', 'LOST'`;

export class CreateOpportunities1764700000520 implements MigrationInterface {
  name = 'CreateOpportunities1764700000520';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE opportunity (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        customer_id uuid NOT NULL,
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 500),
        value bigint NOT NULL DEFAULT 0 CHECK (value >= 0),
        stage text NOT NULL CHECK (stage IN (${STAGES})),
        expected_close_date date,
        owner text,
        note text,
        closed_at timestamptz(3),
        created_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT opportunity_customer_fk FOREIGN KEY (workspace_id, customer_id)
          REFERENCES customer (workspace_id, id) ON DELETE CASCADE,
        CONSTRAINT opportunity_closed_check
          CHECK ((stage IN ('WON', 'LOST')) = (closed_at IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE opportunity_stage_change (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        workspace_id text NOT NULL,
        opportunity_id uuid NOT NULL REFERENCES opportunity (id) ON DELETE CASCADE,
        stage text NOT NULL CHECK (stage IN (${STAGES})),
        changed_at timestamptz(3) NOT NULL DEFAULT now(),
        changed_by text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE opportunity_stage_order (
        workspace_id text PRIMARY KEY REFERENCES workspace (id),
        stages text[] NOT NULL,
        updated_by text NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    const indexes = [
      `opportunity_customer_idx ON opportunity
         (workspace_id, customer_id, created_at DESC, id DESC)`,
      'opportunity_owner_idx ON opportunity (workspace_id, owner, created_at DESC, id DESC)',
      'opportunity_workspace_idx ON opportunity (workspace_id, created_at DESC, id DESC)',
      `opportunity_won_idx ON opportunity (workspace_id, closed_at) WHERE stage = 'WON'`,
      `opportunity_stage_change_idx ON opportunity_stage_change
         (workspace_id, opportunity_id, seq)`,
    ];
    for (const index of indexes) await q.query(`CREATE INDEX ${index}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE opportunity_stage_order');
    await q.query('DROP TABLE opportunity_stage_change');
    await q.query('DROP TABLE opportunity');
  }
}
