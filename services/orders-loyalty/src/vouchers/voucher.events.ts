// Events orders-loyalty publishes about vouchers. Type, version and payload come from
// the catalog generated from schema/events/; the key rule is ours.
import { VOUCHERS_ISSUED, createEvent } from '@customer-graph/runtime';
import type { EventOf, VouchersIssuedPayload } from '@customer-graph/runtime';

/** The answer to marketing.vouchers.requested. Keyed by the (marketing) campaign id. */
export function vouchersIssued(
  workspaceId: string,
  payload: VouchersIssuedPayload,
): EventOf<typeof VOUCHERS_ISSUED> {
  return createEvent({ type: VOUCHERS_ISSUED, workspaceId, key: payload.campaignId, payload });
}
