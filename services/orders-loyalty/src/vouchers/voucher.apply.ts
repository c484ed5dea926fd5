// Orders using voucher codes, in the transaction that writes the orders: the upsert
// core (orders/order.upsert.ts) and Shopee's status pushes (shops/shopee.ingest.ts)
// call `applyVouchers` once with the orders they wrote, after writing them (and after
// they were attached to customers) and before the summaries are published.
//
// Three set-wise statements for all the orders at once:
//   1. Give back: a code held by an order that is now cancelled or returned, while the
//      code is still valid (its campaign's valid_to is ahead), or by an order that no
//      longer carries that code. An expired code stays with its order (it could not
//      be used again anyway, and the tab still shows where it went).
//   2. Use: each order carrying a code, live, attached to a customer and holding no
//      code yet (a later version of an order never uses its code twice) takes the
//      code when it is the customer's, unused, and the order was placed inside the
//      campaign's window with a subtotal at its minimum. Of several orders of one batch
//      with one code, the earliest placed. The UPDATE is conditional
//      (`used_order_id IS NULL`): an order racing another for the code waits on the
//      code's row lock, and once the other commits, Postgres re-checks the condition
//      on the row as it now is and skips it. Exactly one order gets a code.
//   3. Why not: every order of the set with a code it does not hold is flagged
//      (`voucher_rejection`), the order itself being stored all the same.
import type { EntityManager } from 'typeorm';

/** Orders that hold no code: a cancelled or returned one gives its code back. */
const DEAD = `('CANCELLED', 'RETURNED')`;

export async function applyVouchers(
  tx: EntityManager,
  workspaceId: string,
  orderIds: readonly string[],
): Promise<void> {
  if (orderIds.length === 0) return;
  await tx.query(
    `UPDATE voucher v SET used_order_id = NULL, used_at = NULL
       FROM customer_order o, voucher_campaign c
      WHERE v.workspace_id = $1 AND o.workspace_id = $1 AND c.workspace_id = $1
        AND o.id = ANY($2::uuid[]) AND v.used_order_id = o.id AND c.id = v.campaign_id
        AND CASE WHEN upper(coalesce(o.voucher_code, '')) <> upper(v.code) THEN true
                 ELSE o.status IN ${DEAD} AND c.valid_to > now() END`,
    [workspaceId, orderIds],
  );
  await tx.query(
    `WITH candidate AS (
       SELECT DISTINCT ON (upper(o.voucher_code)) o.id, o.customer_id,
              upper(o.voucher_code) AS code, o.subtotal, o.ordered_at
         FROM customer_order o
        WHERE o.workspace_id = $1 AND o.id = ANY($2::uuid[]) AND o.voucher_code IS NOT NULL
          AND o.customer_id IS NOT NULL AND o.status NOT IN ${DEAD}
          AND NOT EXISTS (SELECT 1 FROM voucher h
                           WHERE h.workspace_id = $1 AND h.used_order_id = o.id)
        ORDER BY upper(o.voucher_code), o.ordered_at, o.id)
     UPDATE voucher v SET used_order_id = candidate.id, used_at = candidate.ordered_at
       FROM candidate, voucher_campaign c
      WHERE v.workspace_id = $1 AND upper(v.code) = candidate.code
        AND v.used_order_id IS NULL AND v.customer_id = candidate.customer_id
        AND c.workspace_id = $1 AND c.id = v.campaign_id
        AND candidate.ordered_at >= c.valid_from AND candidate.ordered_at < c.valid_to
        AND candidate.subtotal >= c.minimum_order`,
    [workspaceId, orderIds],
  );
  // Another customer's code is NOT_THIS_CUSTOMER before anything else: whether it was
  // used or expired is that customer's business.
  await tx.query(
    `UPDATE customer_order o SET voucher_rejection = why.reason
       FROM (SELECT o.id, CASE
               WHEN o.voucher_code IS NULL OR v.used_order_id = o.id THEN NULL
               WHEN v.id IS NULL THEN 'UNKNOWN_CODE'
               WHEN o.customer_id IS NULL OR v.customer_id <> o.customer_id
                 THEN 'NOT_THIS_CUSTOMER'
               WHEN v.used_order_id IS NOT NULL THEN 'ALREADY_USED'
               WHEN o.ordered_at >= c.valid_to THEN 'EXPIRED'
               WHEN o.ordered_at < c.valid_from THEN 'NOT_YET_VALID'
               WHEN o.subtotal < c.minimum_order THEN 'BELOW_MINIMUM'
             END AS reason
             FROM customer_order o
             LEFT JOIN voucher v
               ON v.workspace_id = $1 AND upper(v.code) = upper(o.voucher_code)
             LEFT JOIN voucher_campaign c ON c.workspace_id = $1 AND c.id = v.campaign_id
            WHERE o.workspace_id = $1 AND o.id = ANY($2::uuid[])) why
      WHERE o.workspace_id = $1 AND o.id = why.id
        AND o.voucher_rejection IS DISTINCT FROM why.reason`,
    [workspaceId, orderIds],
  );
}

/**
 * Tries again the codes of the customers' orders that were refused one: after a merge
 * brought orders and codes together (either handler may run second, so both call it).
 */
export async function retryRefusedVouchers(
  tx: EntityManager,
  workspaceId: string,
  customerIds: readonly string[],
): Promise<void> {
  const refused: { id: string }[] = await tx.query(
    `SELECT id FROM customer_order
      WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[]) AND voucher_rejection IS NOT NULL`,
    [workspaceId, customerIds],
  );
  await applyVouchers(
    tx,
    workspaceId,
    refused.map((r) => r.id),
  );
}
