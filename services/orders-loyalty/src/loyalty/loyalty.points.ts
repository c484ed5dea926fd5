// redeemPoints and adjustPoints: one customer's balance row locked (FOR UPDATE) for the
// whole change, so two redemptions at once never take it below zero; due points expire
// first (the reconciliation runs under the same lock).
import type { DataSource } from 'typeorm';
import { GraphQLError } from 'graphql';
import { AuditAction, badInput, recordAudit } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { insertEntries, lockBalances, saveBalances } from './loyalty.ledger';
import { readProgram } from './loyalty.program';
import { reconcileLoyalty } from './loyalty.reconcile';
import { LoyaltyError } from './loyalty.errors';

export interface PointsChange {
  customerId: string;
  points: number;
  reason: string;
  person: string;
}

export async function changePoints(
  db: DataSource,
  identity: Identity,
  kind: 'REDEEM' | 'ADJUST',
  change: PointsChange,
) {
  const { workspaceId } = identity;
  const reason = change.reason.trim();
  if (!reason || reason.length > 500) throw badInput('reason', 'a reason of 1 to 500 characters');
  if (
    !Number.isInteger(change.points) ||
    change.points === 0 ||
    (kind === 'REDEEM' && change.points < 0)
  ) {
    throw badInput(
      'points',
      kind === 'REDEEM' ? 'a whole number of points, 1 or more' : 'a whole number of points, not 0',
    );
  }
  return db.transaction(async (tx) => {
    const stored = await readProgram(tx, workspaceId);
    if (!stored) {
      throw new GraphQLError('the workspace has no loyalty program', {
        extensions: { code: LoyaltyError.NO_PROGRAM },
      });
    }
    await reconcileLoyalty(tx, workspaceId, [change.customerId], stored);
    const state = (await lockBalances(tx, workspaceId, [change.customerId])).get(
      change.customerId,
    )!;
    const r = kind === 'REDEEM' ? -change.points : change.points;
    // An adjustment counts toward the tier as well; a redemption does not.
    const q = kind === 'ADJUST' ? change.points : 0;
    if (state.redeemable + r < 0) {
      throw badInput('points', `only ${state.redeemable} redeemable points`);
    }
    if (state.qualifying + q < 0) {
      throw badInput('points', `only ${state.qualifying} qualifying points`);
    }
    state.redeemable += r;
    state.qualifying += q;
    await insertEntries(
      tx,
      workspaceId,
      [
        {
          customerId: state.customerId,
          kind,
          person: change.person,
          reason,
          qualifyingDelta: q,
          redeemableDelta: r,
          qualifyingAfter: state.qualifying,
          redeemableAfter: state.redeemable,
        },
      ],
      stored.program.expiryMonths,
    );
    await saveBalances(tx, workspaceId, stored.program, stored.revision, [state]);
    // The points, not the reason: it is free text staff wrote.
    await recordAudit(tx, identity, {
      action:
        kind === 'ADJUST'
          ? AuditAction.LOYALTY_POINTS_ADJUSTED
          : AuditAction.LOYALTY_POINTS_REDEEMED,
      targetType: 'Customer',
      targetIds: [state.customerId],
      detail: { points: change.points },
    });
    return { customerId: state.customerId };
  });
}
