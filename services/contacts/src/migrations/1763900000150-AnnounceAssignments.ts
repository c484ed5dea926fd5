import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendEvents } from '@customer-graph/runtime';
import { customerAssigned } from '../customers/customer.events';

const BATCH = 1000;

/**
 * Other subgraphs learn assignments from `contacts.customer.assigned` events (a
 * projection each keeps, so staff see only their customers everywhere). Customers
 * assigned before those events existed are announced once, through the outbox as the
 * service announces any change, in creation order.
 */
export class AnnounceAssignments1763900000150 implements MigrationInterface {
  name = 'AnnounceAssignments1763900000150';

  async up(q: QueryRunner): Promise<void> {
    let after: { createdAt: Date; id: string } | null = null;
    for (;;) {
      const rows: { workspace_id: string; id: string; assigned_staff: string; created_at: Date }[] =
        await q.query(
          `SELECT workspace_id, id, assigned_staff, created_at FROM customer
            WHERE assigned_staff IS NOT NULL
              AND ($1::timestamptz IS NULL OR (created_at, id) > ($1::timestamptz, $2::uuid))
            ORDER BY created_at, id LIMIT ${BATCH}`,
          [after?.createdAt ?? null, after?.id ?? null],
        );
      if (rows.length === 0) return;
      await appendEvents(
        q.manager,
        rows.map((r) => customerAssigned(r.workspace_id, r.id, r.assigned_staff)),
      );
      const last = rows[rows.length - 1];
      after = { createdAt: last.created_at, id: last.id };
    }
  }

  async down(): Promise<void> {
    // Events once announced are not taken back.
  }
}
