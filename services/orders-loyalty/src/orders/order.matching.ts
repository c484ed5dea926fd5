// Orders meet customers by phone (issue 11), never by a call to contacts: through the
// phone directory this subgraph keeps from contacts' events (phone-directory module).
//   - an order upserted with a phone in the directory is attached at once;
//   - when contacts announces a customer's phones, the unattached orders with one of
//     them are attached (the directory, updated first in the same transaction, says
//     who holds each number);
//   - a deleted customer's orders are detached (kept for the shop's accounts), then
//     attached to another holder of their phone if the directory knows one.
// An order with no phone stays unattached. Orders whose phone nobody holds wait; asking
// contacts to create the buyer (a buyer-seen conversation) is not built yet.
import type { EntityManager } from 'typeorm';
import type {
  CUSTOMER_DELETED,
  CUSTOMER_PHONES_CHANGED,
  EventHandler,
} from '@customer-graph/runtime';
import { customerByPhone } from '../phone-directory/phone-directory.module';

/** Attaches the workspace's unattached orders whose phone is one of `e164s`; returns how many. */
export async function attachByPhone(
  tx: EntityManager,
  workspaceId: string,
  e164s: readonly string[],
): Promise<number> {
  const owners = await customerByPhone(tx, workspaceId, e164s);
  if (owners.size === 0) return 0;
  const attached: unknown[] = await tx.query(
    `UPDATE customer_order o SET customer_id = m.customer_id, updated_at = now()
       FROM unnest($2::text[], $3::uuid[]) AS m(e164, customer_id)
      WHERE o.workspace_id = $1 AND o.customer_id IS NULL AND o.buyer_phone_e164 = m.e164
      RETURNING o.id`,
    [workspaceId, [...owners.keys()], [...owners.values()]],
  );
  return attached.length;
}

export const attachOnPhonesChanged: EventHandler<typeof CUSTOMER_PHONES_CHANGED> = async (
  tx,
  event,
) => {
  await attachByPhone(tx, event.workspaceId, event.payload.phones);
};

export const detachOnCustomerDeleted: EventHandler<typeof CUSTOMER_DELETED> = async (tx, event) => {
  const detached: { e164: string | null }[] = await tx.query(
    `UPDATE customer_order SET customer_id = NULL, updated_at = now()
      WHERE workspace_id = $1 AND customer_id = $2
      RETURNING buyer_phone_e164 AS e164`,
    [event.workspaceId, event.payload.customerId],
  );
  const phones = detached.flatMap((r) => (r.e164 ? [r.e164] : []));
  await attachByPhone(tx, event.workspaceId, phones);
};
