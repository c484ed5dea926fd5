// The profile a merge gives, decided from the customers as read, before anything is
// written (a pure function: the dry run shows exactly what the merge writes).
//
//   - each field (system or custom): the value of the customer a choice names (even an
//     empty one), else the survivor's, else the first merged customer's (in the order
//     of `mergedIds`) that has one; every other value that differs is `discarded`
//     (the audit row keeps the merged records whole);
//   - phones: the survivor's (its primary stays primary), then each merged customer's,
//     a number held twice kept once; at most MAX_PHONES;
//   - tags and labels: the union, the survivor's first; at most MAX_TAGS / MAX_LABELS;
//   - external ids: all of them (each is unique in the workspace already);
//   - the order figures added up (count, spent), the first and last order the earliest
//     and latest, a live order if any had one: what orders-loyalty will announce once
//     it has moved the orders.
import { MAX_LABELS, MAX_PHONES, MAX_TAGS } from '../customers/customer.input';
import { MergeErrorCode, mergeError } from './merge.errors';
import { SYSTEM_FIELDS } from './merge.types';
import type {
  Choice,
  MergeCustomer,
  MergePlan,
  PlannedField,
  PlannedItem,
  PlannedPhone,
  SystemField,
} from './merge.types';

const isEmpty = (value: unknown) =>
  value === null || value === undefined || (typeof value === 'string' && value.trim() === '');

/** Whether two values of one field say the same (an email ignoring case). */
function same(field: string, a: unknown, b: unknown): boolean {
  if (field === 'email' && typeof a === 'string' && typeof b === 'string') {
    return a.toLowerCase() === b.toLowerCase();
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

function overLimit(what: string, limit: number, actual: number): never {
  throw mergeError(
    MergeErrorCode.OVER_LIMIT,
    `together the customers have ${actual} ${what}; a customer holds at most ${limit}: remove some first`,
    { field: 'mergedIds', limit, actual },
  );
}

/** One field's value and origin, and the values it leaves out. */
function pick(
  field: string,
  customers: MergeCustomer[],
  valueOf: (c: MergeCustomer) => unknown,
  choice: Choice | undefined,
): { chosen: PlannedField; discarded: PlannedField[] } {
  const holder = choice
    ? customers.find((c) => c.row.id === choice.from)!
    : customers.find((c) => !isEmpty(valueOf(c)));
  const value = holder ? (valueOf(holder) ?? null) : null;
  const chosen = { field, value, from: holder?.row.id ?? null };
  const discarded = customers.flatMap((c) => {
    const other = valueOf(c);
    return c !== holder && !isEmpty(other) && !same(field, other, value)
      ? [{ field, value: other, from: c.row.id }]
      : [];
  });
  return { chosen, discarded };
}

function union(field: 'tags' | 'labels', customers: MergeCustomer[], limit: number): PlannedItem[] {
  const items = new Map<string, PlannedItem>();
  for (const c of customers) {
    for (const value of c.row[field]) {
      if (!items.has(value)) items.set(value, { field, value, from: c.row.id });
    }
  }
  if (items.size > limit) overLimit(field, limit, items.size);
  return [...items.values()];
}

function phonesOf(customers: MergeCustomer[]): PlannedPhone[] {
  const phones = new Map<string, PlannedPhone>();
  for (const c of customers) {
    for (const p of c.phones) {
      const key = p.e164 ?? `typed:${p.number}`;
      if (!phones.has(key)) {
        phones.set(key, { ...p, primary: phones.size === 0, from: c.row.id });
      }
    }
  }
  if (phones.size > MAX_PHONES) overLimit('phones', MAX_PHONES, phones.size);
  return [...phones.values()];
}

function figuresOf(customers: MergeCustomer[]): MergePlan['figures'] {
  const dates = (pickDate: (c: MergeCustomer) => Date | null) =>
    customers.flatMap((c) => (pickDate(c) ? [pickDate(c)!.getTime()] : []));
  const first = dates((c) => c.figures.firstOrderAt);
  const last = dates((c) => c.figures.lastOrderAt);
  return {
    orderCount: customers.reduce((n, c) => n + c.figures.orderCount, 0),
    totalSpent: customers.reduce((n, c) => n + BigInt(c.figures.totalSpent), 0n).toString(),
    firstOrderAt: first.length > 0 ? new Date(Math.min(...first)) : null,
    lastOrderAt: last.length > 0 ? new Date(Math.max(...last)) : null,
    hasLiveOrder: customers.some((c) => c.figures.hasLiveOrder),
  };
}

/** The merge of `merged` (in the order given) into `survivor`. */
export function planMerge(
  survivor: MergeCustomer,
  merged: MergeCustomer[],
  choices: Choice[],
): MergePlan {
  const customers = [survivor, ...merged];
  const choiceOf = new Map(choices.map((c) => [c.field, c]));
  const fields: PlannedField[] = [];
  const discarded: PlannedField[] = [];
  const values = {} as MergePlan['values'];
  for (const field of SYSTEM_FIELDS) {
    const { chosen, discarded: left } = pick(
      field,
      customers,
      (c) => c.row[field as SystemField],
      choiceOf.get(field),
    );
    fields.push(chosen);
    discarded.push(...left);
    values[field] = chosen.value;
  }
  // Custom keys in the order they first appear, the survivor's first.
  const keys = [...new Set(customers.flatMap((c) => Object.keys(c.row.custom)))];
  for (const key of choices.flatMap((c) => (c.field.startsWith('custom.') ? [c.field] : []))) {
    const name = key.slice('custom.'.length);
    if (!keys.includes(name)) keys.push(name);
  }
  values.custom = {};
  for (const key of keys) {
    const field = `custom.${key}`;
    const { chosen, discarded: left } = pick(
      field,
      customers,
      (c) => c.row.custom[key],
      choiceOf.get(field),
    );
    fields.push(chosen);
    discarded.push(...left);
    if (!isEmpty(chosen.value)) values.custom[key] = chosen.value;
  }
  const tags = union('tags', customers, MAX_TAGS);
  const labels = union('labels', customers, MAX_LABELS);
  values.tags = tags.map((t) => t.value);
  values.labels = labels.map((l) => l.value);
  const externalIds = customers.flatMap((c) =>
    c.externalIds.map((x): PlannedItem => ({
      field: 'externalIds',
      value: `${x.source}:${x.externalId}`,
      from: c.row.id,
    })),
  );
  return {
    survivorId: survivor.row.id,
    mergedIds: merged.map((c) => c.row.id),
    fields,
    phones: phonesOf(customers),
    items: [...tags, ...labels, ...externalIds],
    discarded,
    values,
    figures: figuresOf(customers),
  };
}
