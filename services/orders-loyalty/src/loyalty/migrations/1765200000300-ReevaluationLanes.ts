import type { MigrationInterface, QueryRunner } from 'typeorm';

// The re-evaluation after a program change runs in lanes (loyalty.job.ts): each lane is
// a disjoint range of customer ids with its own checkpoint, and lanes run at once on
// separate connections. A job queued or running at this migration keeps its progress:
// its checkpoint falls in one lane; the lanes before it are done, the ones after it start.
export class ReevaluationLanes1765200000300 implements MigrationInterface {
  name = 'ReevaluationLanes1765200000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE loyalty_reevaluation_lane (
        job_id uuid NOT NULL REFERENCES loyalty_reevaluation (id) ON DELETE CASCADE,
        lane smallint NOT NULL,
        from_customer uuid NOT NULL,
        to_customer uuid,
        after_customer uuid,
        processed int NOT NULL DEFAULT 0,
        done boolean NOT NULL DEFAULT false,
        PRIMARY KEY (job_id, lane)
      )`);
    await q.query(`
      INSERT INTO loyalty_reevaluation_lane
        (job_id, lane, from_customer, to_customer, after_customer, done)
      SELECT j.id, l.lane, l.lo, l.hi,
             CASE WHEN j.after_customer >= l.lo AND (l.hi IS NULL OR j.after_customer < l.hi)
                  THEN j.after_customer END,
             COALESCE(l.hi IS NOT NULL AND j.after_customer >= l.hi, false)
        FROM loyalty_reevaluation j,
             (VALUES (0, '00000000-0000-0000-0000-000000000000'::uuid,
                         '80000000-0000-0000-0000-000000000000'::uuid),
                     (1, '80000000-0000-0000-0000-000000000000'::uuid, NULL::uuid)) AS l(lane, lo, hi)
       WHERE j.status IN ('QUEUED', 'RUNNING')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE loyalty_reevaluation_lane');
  }
}
