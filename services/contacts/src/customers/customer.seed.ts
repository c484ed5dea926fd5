import type { DataSource } from 'typeorm';
import { DEMO_CUSTOMERS, toE164 } from '@customer-graph/runtime';
import { foldSearchText } from '../filter/search-text';

/** Seeds the demo customers; fixed ids make a second run a no-op. */
export async function seedDemoCustomers(db: DataSource, workspaceId: string): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [i, c] of DEMO_CUSTOMERS.entries()) {
      // Spread creation times a day apart so the list has a visible order.
      const createdAt = new Date(Date.UTC(2026, 0, 1 + i));
      const inserted = await tx.query(
        `INSERT INTO customer (id, workspace_id, name, name_search, email, city, city_search,
           gender, birthday, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          c.id,
          workspaceId,
          c.name,
          foldSearchText(c.name),
          c.email,
          c.city,
          foldSearchText(c.city),
          c.gender,
          c.birthday,
          createdAt,
        ],
      );
      if (inserted.length > 0) {
        const e164 = toE164(c.phone);
        await tx.query(
          `INSERT INTO customer_phone (workspace_id, customer_id, number, e164, position)
           VALUES ($1, $2, $3, $4, 0)`,
          [workspaceId, c.id, c.phone, e164],
        );
        await tx.query(
          `INSERT INTO phone_owner (workspace_id, e164, customer_id) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING`,
          [workspaceId, e164, c.id],
        );
        await tx.query(
          `UPDATE customer SET type = customer_derived_type(workspace_id, id, email, has_live_order)
            WHERE workspace_id = $1 AND id = $2`,
          [workspaceId, c.id],
        );
      }
    }
  });
}
