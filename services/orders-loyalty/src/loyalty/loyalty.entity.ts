// A ledger entry (`loyalty_entry`), for the history's per-customer pages.
import { EntitySchema } from 'typeorm';
import type { EntryKind } from './loyalty.ledger';

export interface LoyaltyEntryRow {
  id: string;
  workspaceId: string;
  customerId: string;
  kind: EntryKind;
  orderId: string | null;
  person: string | null;
  reason: string | null;
  /** bigint columns arrive as strings. */
  qualifyingDelta: string;
  redeemableDelta: string;
  qualifyingAfter: string;
  redeemableAfter: string;
  live: boolean;
  windowAt: Date;
  expiresAt: Date | null;
  createdAt: Date;
}

const big = (name: string) => ({ name, type: 'bigint' as const });

export const LoyaltyEntryEntity = new EntitySchema<LoyaltyEntryRow>({
  name: 'LoyaltyEntry',
  tableName: 'loyalty_entry',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    workspaceId: { name: 'workspace_id', type: 'text' },
    customerId: { name: 'customer_id', type: 'uuid' },
    kind: { type: 'text' },
    orderId: { name: 'order_id', type: 'uuid', nullable: true },
    person: { type: 'text', nullable: true },
    reason: { type: 'text', nullable: true },
    qualifyingDelta: big('qualifying_delta'),
    redeemableDelta: big('redeemable_delta'),
    qualifyingAfter: big('qualifying_after'),
    redeemableAfter: big('redeemable_after'),
    live: { type: 'boolean' },
    windowAt: { name: 'window_at', type: 'timestamptz' },
    expiresAt: { name: 'expires_at', type: 'timestamptz', nullable: true },
    createdAt: { name: 'created_at', type: 'timestamptz' },
  },
});
