// <service>.customer.erasure-done: a subgraph has erased the person; recorded once
// (a redelivered answer changes nothing). An answer naming an erasure this workspace
// does not have records nothing.
import type { EntityManager } from 'typeorm';
import {
  FOLLOWERS_CUSTOMER_ERASURE_DONE,
  MARKETING_CUSTOMER_ERASURE_DONE,
  ORDERS_CUSTOMER_ERASURE_DONE,
} from '@customer-graph/runtime';
import type { EventHandler, EventOf } from '@customer-graph/runtime';
import type { ConfirmingSubgraph } from './erasure.read';

type Done =
  | EventOf<typeof FOLLOWERS_CUSTOMER_ERASURE_DONE>
  | EventOf<typeof ORDERS_CUSTOMER_ERASURE_DONE>
  | EventOf<typeof MARKETING_CUSTOMER_ERASURE_DONE>;

async function confirm(tx: EntityManager, subgraph: ConfirmingSubgraph, event: Done) {
  const { erasureId, customerId, removed } = event.payload;
  await tx.query(
    `INSERT INTO customer_erasure_confirmation (workspace_id, erasure_id, subgraph, removed)
     SELECT workspace_id, id, $4, $5 FROM customer_erasure
      WHERE workspace_id = $1 AND id = $2 AND customer_id = $3
     ON CONFLICT DO NOTHING`,
    [event.workspaceId, erasureId, customerId, subgraph, JSON.stringify(removed)],
  );
}

export const onFollowersErasureDone: EventHandler<typeof FOLLOWERS_CUSTOMER_ERASURE_DONE> = (
  tx,
  event,
) => confirm(tx, 'followers', event);

export const onOrdersErasureDone: EventHandler<typeof ORDERS_CUSTOMER_ERASURE_DONE> = (tx, event) =>
  confirm(tx, 'orders-loyalty', event);

export const onMarketingErasureDone: EventHandler<typeof MARKETING_CUSTOMER_ERASURE_DONE> = (
  tx,
  event,
) => confirm(tx, 'marketing', event);

export const erasureDoneHandlers = {
  [FOLLOWERS_CUSTOMER_ERASURE_DONE]: onFollowersErasureDone,
  [ORDERS_CUSTOMER_ERASURE_DONE]: onOrdersErasureDone,
  [MARKETING_CUSTOMER_ERASURE_DONE]: onMarketingErasureDone,
};
