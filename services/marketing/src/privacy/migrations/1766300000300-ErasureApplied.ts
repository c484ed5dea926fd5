import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ERASURE_APPLIED_TABLE } from '@customer-graph/runtime';

/** The erasures applied here (docs/privacy.md): each is applied and answered once. */
export class ErasureApplied1766300000300 implements MigrationInterface {
  name = 'ErasureApplied1766300000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ERASURE_APPLIED_TABLE);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE erasure_applied');
  }
}
