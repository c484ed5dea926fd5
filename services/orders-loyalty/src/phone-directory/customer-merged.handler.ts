// contacts.customer.merged: the merged customers' numbers are the survivor's now, each
// with the earliest time it was seen with either (contacts moved their claims in
// phone_owner to the survivor too, so both agree on who had a number first); the
// merged customers get tombstones, as deleted ones do, so none of their late events
// brings a number back to them. The survivor's own phones-changed, which follows,
// lists the same numbers. Idempotent: a second delivery finds nothing of the merged
// customers left to move.
import { mergeTarget } from '@customer-graph/runtime';
import type { CUSTOMER_MERGED, EventHandler } from '@customer-graph/runtime';
import { lockPhoneMatching } from './phone-directory.lock';

export const onCustomerMerged: EventHandler<typeof CUSTOMER_MERGED> = async (tx, event) => {
  const { workspaceId } = event;
  const { mergedIds } = event.payload;
  const survivor = await mergeTarget(tx, event);
  await lockPhoneMatching(tx, workspaceId);
  // Not to a survivor deleted since (its deletion is final).
  await tx.query(
    `INSERT INTO phone_directory AS d (workspace_id, e164, customer_id, occurred_at)
     SELECT $1, p.e164, $2, min(p.occurred_at) FROM phone_directory p
      WHERE p.workspace_id = $1 AND p.customer_id = ANY($3::uuid[])
        AND NOT EXISTS (SELECT 1 FROM phone_directory_customer c
                         WHERE c.workspace_id = $1 AND c.customer_id = $2 AND c.deleted)
      GROUP BY p.e164
     ON CONFLICT (workspace_id, e164, customer_id)
       DO UPDATE SET occurred_at = LEAST(d.occurred_at, EXCLUDED.occurred_at)`,
    [workspaceId, survivor, mergedIds],
  );
  await tx.query(
    'DELETE FROM phone_directory WHERE workspace_id = $1 AND customer_id = ANY($2::uuid[])',
    [workspaceId, mergedIds],
  );
  await tx.query(
    `INSERT INTO phone_directory_customer (workspace_id, customer_id, occurred_at, deleted)
     SELECT $1, m.id, $3, true FROM unnest($2::uuid[]) AS m(id)
     ON CONFLICT (workspace_id, customer_id) DO UPDATE SET deleted = true,
       occurred_at = GREATEST(phone_directory_customer.occurred_at, EXCLUDED.occurred_at)`,
    [workspaceId, mergedIds, event.occurredAt],
  );
};
