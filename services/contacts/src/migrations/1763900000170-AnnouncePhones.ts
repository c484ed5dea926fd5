import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendEvents } from '@customer-graph/runtime';
import { customerPhonesChanged } from '../customers/customer.events';

const BATCH = 1000;

/**
 * Other subgraphs learn whose number a phone is from `contacts.customer.phones-changed`
 * (orders-loyalty's phone directory). Customers who had phones before that event
 * existed are announced once, through the outbox as the service announces any change,
 * in creation order. (The service refuses to start with this pending, so every later
 * change is announced after, with a later time.)
 */
export class AnnouncePhones1763900000170 implements MigrationInterface {
  name = 'AnnouncePhones1763900000170';

  async up(q: QueryRunner): Promise<void> {
    let after: { createdAt: Date; id: string } | null = null;
    for (;;) {
      const rows: { workspace_id: string; id: string; phones: string[]; created_at: Date }[] =
        await q.query(
          `SELECT c.workspace_id, c.id, c.created_at,
                  array_agg(p.e164 ORDER BY p.position) AS phones
             FROM customer c
             JOIN customer_phone p ON p.workspace_id = c.workspace_id AND p.customer_id = c.id
            WHERE p.e164 IS NOT NULL
              AND ($1::timestamptz IS NULL OR (c.created_at, c.id) > ($1::timestamptz, $2::uuid))
            GROUP BY c.workspace_id, c.id, c.created_at
            ORDER BY c.created_at, c.id LIMIT ${BATCH}`,
          [after?.createdAt ?? null, after?.id ?? null],
        );
      if (rows.length === 0) return;
      await appendEvents(
        q.manager,
        rows.map((r) => customerPhonesChanged(r.workspace_id, r.id, r.phones)),
      );
      const last = rows[rows.length - 1];
      after = { createdAt: last.created_at, id: last.id };
    }
  }

  async down(): Promise<void> {
    // Events once announced are not taken back.
  }
}
