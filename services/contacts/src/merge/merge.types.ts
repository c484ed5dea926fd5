// The shapes a merge goes through: the customers as read (merge.read.ts), the plan of
// the result (merge.plan.ts), and what the mutation answers (`CustomerMerge`).
import type { CustomerRow } from '../customers/customer.entity';

/** The profile fields a merge takes from one customer or another (and `custom.<key>`). */
export const SYSTEM_FIELDS = [
  'name',
  'email',
  'address',
  'city',
  'birthday',
  'gender',
  'timezone',
  'avatarUrl',
  'assignedStaff',
  'group',
] as const;
export type SystemField = (typeof SYSTEM_FIELDS)[number];

/** A customer as a merge reads it: the record, its figures, phones and external ids. */
export interface MergeCustomer {
  row: CustomerRow;
  figures: {
    orderCount: number;
    /** Whole đồng (bigint). */
    totalSpent: string;
    firstOrderAt: Date | null;
    lastOrderAt: Date | null;
    hasLiveOrder: boolean;
  };
  phones: { number: string; e164: string | null }[];
  externalIds: { source: string; externalId: string }[];
}

/** A checked choice: take `field` from customer `from`. */
export interface Choice {
  field: string;
  from: string;
}

export interface PlannedField {
  field: string;
  value: unknown;
  from: string | null;
}

export interface PlannedPhone {
  number: string;
  e164: string | null;
  primary: boolean;
  from: string;
}

export interface PlannedItem {
  field: 'tags' | 'labels' | 'externalIds';
  value: string;
  from: string;
}

/** The survivor as it will be, and where each value comes from. */
export interface MergePlan {
  survivorId: string;
  mergedIds: string[];
  /** Every system field, then every custom key some customer has. */
  fields: PlannedField[];
  phones: PlannedPhone[];
  items: PlannedItem[];
  /** Values of other customers that the result does not keep. */
  discarded: PlannedField[];
  /** The survivor's columns to write. */
  values: Record<SystemField, unknown> & {
    tags: string[];
    labels: string[];
    custom: Record<string, unknown>;
  };
  /** The order figures together (until orders-loyalty announces the survivor's own). */
  figures: MergeCustomer['figures'];
}

/** A kind of row held in contacts that moves, counted per customer. */
export interface MoveCount {
  part: string;
  customerId: string;
  count: number;
}

/** What `mergeCustomers` answers (`CustomerMerge`). */
export interface MergeOutcome {
  id: string | null;
  dryRun: boolean;
  survivor: CustomerRow;
  mergedIds: string[];
  mergedCustomers: CustomerRow[];
  fields: PlannedField[];
  phones: PlannedPhone[];
  items: PlannedItem[];
  discarded: PlannedField[];
  moves: MoveCount[];
}
