// Checking what a client sends for an opportunity, before anything is written: a bad
// value is BAD_USER_INPUT naming the field (`input.value`), and nothing is written.
import { badInput, isUuid } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import type { OpportunityInput, OpportunityPatch } from '../generated/graphql';
import { text, userId } from '../customers/customer.input';

export const MAX_NAME = 500;
export const MAX_NOTE = 5000;

function name(value: string | null | undefined, field: string): string {
  const normal = text(value, field, MAX_NAME);
  if (normal === null) throw badInput(field, 'an opportunity needs a name');
  return normal;
}

function value(amount: number | string | null | undefined, field: string): number {
  if (amount == null) throw badInput(field, 'an opportunity has a value: it cannot be cleared');
  const n = Number(amount);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw badInput(field, `a value is a whole number of đồng, 0 or more; got ${amount}`);
  }
  return n;
}

function customerIdOf(id: string | null | undefined, field: string): string {
  if (id == null) throw badInput(field, 'an opportunity is with a customer: it cannot be cleared');
  if (!isUuid(id)) throw badInput(field, `"${id}" is not a customer id`);
  return id;
}

export interface OpportunityFields {
  name: string;
  value: number;
  customerId: string;
  expectedCloseDate: string | null;
  owner: string | null;
  note: string | null;
}

export function newOpportunity(input: OpportunityInput, identity: Identity): OpportunityFields {
  return {
    name: name(input.name, 'input.name'),
    value: value(input.value ?? 0, 'input.value'),
    customerId: customerIdOf(input.customerId, 'input.customerId'),
    expectedCloseDate: input.expectedCloseDate ?? null,
    // Left out: the creator is in charge; null: nobody yet.
    owner: input.owner === undefined ? identity.userId : userId(input.owner, 'input.owner'),
    note: text(input.note, 'input.note', MAX_NOTE),
  };
}

/** The patch's fields, checked; only the keys the client sent are present. */
export function opportunityChanges(patch: OpportunityPatch): Partial<OpportunityFields> {
  const out: Partial<OpportunityFields> = {};
  if ('name' in patch) out.name = name(patch.name, 'input.name');
  if ('value' in patch) out.value = value(patch.value, 'input.value');
  if ('customerId' in patch) out.customerId = customerIdOf(patch.customerId, 'input.customerId');
  if ('expectedCloseDate' in patch) out.expectedCloseDate = patch.expectedCloseDate ?? null;
  if ('owner' in patch) out.owner = userId(patch.owner, 'input.owner');
  if ('note' in patch) out.note = text(patch.note, 'input.note', MAX_NOTE);
  return out;
}
