// Which calls a list or a count covers: the caller's scope and the filter, as SQL
// conditions over a `customer_call` alias; `param` adds a value and returns its
// placeholder (positional in Query.calls and callStats, named in the tab's loader).
//
// Scope: staff see the calls with customers assigned to them — all of those, whoever
// handled them, and none with anyone else's customers, even calls they handled
// themselves (a call shows a customer and their number, which access.md keeps from
// staff the customer is not assigned to).
import { badInput, toE164 } from '@customer-graph/runtime';
import type { CustomerScope } from '@customer-graph/runtime';
import type { CallFilter } from '../generated/graphql';
import { escapeLike, foldSearchText } from '../filter/search-text';

export type Param = (value: unknown) => string;

/** The customer of the call (`alias`) matches `condition` over `cu`. */
const customerIs = (alias: string, condition: string) =>
  `EXISTS (SELECT 1 FROM customer cu WHERE cu.workspace_id = ${alias}.workspace_id
     AND cu.id = ${alias}.customer_id AND ${condition})`;

export function callScopeSql(scope: CustomerScope, alias: string, param: Param): string {
  if (scope.kind === 'all') return 'TRUE';
  if (scope.kind === 'none') return 'FALSE';
  return customerIs(alias, `cu.assigned_staff = ${param(scope.staffUserId)}`);
}

export function callFilterSql(
  filter: CallFilter | null | undefined,
  alias: string,
  param: Param,
): string[] {
  const f = filter ?? {};
  const out: string[] = [];
  if (f.customerName != null) {
    // The customer's folded name (customer.name_search), as the customer list searches.
    const folded = foldSearchText(f.customerName);
    if (folded === '') throw badInput('filter.customerName', 'has nothing to search for');
    out.push(customerIs(alias, `cu.name_search LIKE ${param(`%${escapeLike(folded)}%`)}`));
  }
  if (f.phone != null) {
    const e164 = toE164(f.phone);
    if (!e164) throw badInput('filter.phone', `"${f.phone}" is not a valid phone number`);
    out.push(`${alias}.customer_e164 = ${param(e164)}`);
  }
  if (f.direction) out.push(`${alias}.direction = ${param(f.direction)}`);
  // A call in progress (no result yet) is neither answered nor missed.
  if (f.answered === true) out.push(`${alias}.result = 'ANSWERED'`);
  if (f.answered === false) out.push(`${alias}.result <> 'ANSWERED'`);
  if (f.result) out.push(`${alias}.result = ANY(${param(f.result)})`);
  if (f.staff != null) out.push(`${alias}.staff = ${param(f.staff.trim())}`);
  // The DateTime scalar has checked both.
  if (f.startedFrom) out.push(`${alias}.started_at >= ${param(new Date(f.startedFrom))}`);
  if (f.startedTo) out.push(`${alias}.started_at < ${param(new Date(f.startedTo))}`);
  return out;
}
