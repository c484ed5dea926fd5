// Which customer a call is with: the workspace's customer for the call's number,
// whatever way it is written — found, or created as a LEAD, through the same
// one-customer-per-phone path as Zalo followers and orders' buyers
// (customers/phone-owner.ts, customers/customer.from-phone.ts), in the caller's
// transaction. A call brings no name or address, so it fills nothing on a customer
// that exists.
import type { EntityManager } from 'typeorm';
import { customersForPhones } from '../customers/customer.from-phone';

export interface CallNumber {
  /** As the phone system gave it: kept on a new customer's phone. */
  number: string;
  e164: string;
}

/** The customer id of each distinct number, by E.164. */
export async function customersForNumbers(
  tx: EntityManager,
  workspaceId: string,
  numbers: readonly CallNumber[],
): Promise<Map<string, string>> {
  const distinct = [...new Map(numbers.map((n) => [n.e164, n])).values()];
  const owners = await customersForPhones(
    tx,
    distinct.map((n) => ({ workspaceId, e164: n.e164, number: n.number, profiles: [] })),
    { touchAll: false },
  );
  return new Map(distinct.map((n, i) => [n.e164, owners[i].customerId]));
}
