// A workspace's loyalty program (docs/loyalty.md): tiers ordered by threshold, the earn
// rule, the tier period and point expiry. Checked whole before it is stored.
import type { EntityManager } from 'typeorm';
import { badInput } from '@customer-graph/runtime';
import { ORDER_SOURCES } from '../orders/order.entity';

export interface LoyaltyTier {
  name: string;
  /** Qualifying points needed. */
  threshold: number;
  cardUrl: string | null;
  benefits: string | null;
  /** Multiplies the redeemable points earned while in this tier (qualifying ones never). */
  multiplier: number | null;
}

export type TierPeriod = 'LIFETIME' | 'ROLLING_12_MONTHS';

export interface LoyaltyProgram {
  /** Ascending by threshold; rank = index + 1. */
  tiers: LoyaltyTier[];
  earn: { points: number; perAmount: number; sources: string[] };
  tierPeriod: TierPeriod;
  /** Redeemable points expire this many months after earned; null: never. */
  expiryMonths: number | null;
}

export interface StoredProgram {
  program: LoyaltyProgram;
  revision: number;
}

export async function readProgram(
  db: Pick<EntityManager, 'query'>,
  workspaceId: string,
): Promise<StoredProgram | null> {
  const rows: { program: LoyaltyProgram; revision: string }[] = await db.query(
    `SELECT program, revision FROM loyalty_program WHERE workspace_id = $1`,
    [workspaceId],
  );
  return rows[0] ? { program: rows[0].program, revision: Number(rows[0].revision) } : null;
}

/** The points an order of this total earns, before any tier multiplier. */
export const basePoints = (p: LoyaltyProgram, total: number) =>
  Math.floor(total / p.earn.perAmount) * p.earn.points;

/** The tier (1-based rank) for qualifying points; rank 0 = none. */
export function tierFor(
  p: LoyaltyProgram,
  qualifying: number,
): { rank: number; tier: LoyaltyTier | null } {
  let rank = 0;
  p.tiers.forEach((t, i) => {
    if (qualifying >= t.threshold) rank = i + 1;
  });
  return { rank, tier: rank ? p.tiers[rank - 1] : null };
}

const MAX_TIERS = 20;

/** Checks an input program; BAD_USER_INPUT naming the field, else the program. */
export function checkProgram(input: {
  tiers: readonly {
    name: string;
    threshold: number;
    cardUrl?: string | null;
    benefits?: string | null;
    multiplier?: number | null;
  }[];
  earnPoints: number;
  earnPerAmount: number;
  earnSources?: readonly string[] | null;
  tierPeriod: string;
  expiryMonths?: number | null;
}): LoyaltyProgram {
  if (input.tiers.length === 0 || input.tiers.length > MAX_TIERS) {
    throw badInput('tiers', `between 1 and ${MAX_TIERS} tiers`);
  }
  const names = new Set<string>();
  input.tiers.forEach((t, i) => {
    const name = t.name.trim();
    if (!name || name.length > 100)
      throw badInput(`tiers[${i}].name`, 'a name of 1 to 100 characters');
    if (names.has(name.toLowerCase())) throw badInput(`tiers[${i}].name`, `"${name}" twice`);
    names.add(name.toLowerCase());
    if (!Number.isInteger(t.threshold) || t.threshold < 0) {
      throw badInput(`tiers[${i}].threshold`, 'a whole number of points, 0 or more');
    }
    if (i > 0 && t.threshold <= input.tiers[i - 1].threshold) {
      throw badInput(`tiers[${i}].threshold`, 'tiers are listed by increasing threshold');
    }
    if (t.cardUrl && !/^https:\/\/\S+$/.test(t.cardUrl)) {
      throw badInput(`tiers[${i}].cardUrl`, 'an https URL');
    }
    if (t.multiplier != null && !(t.multiplier >= 1 && t.multiplier <= 10)) {
      throw badInput(`tiers[${i}].multiplier`, 'between 1 and 10');
    }
  });
  if (!Number.isInteger(input.earnPoints) || input.earnPoints < 1) {
    throw badInput('earnPoints', 'a whole number of points, 1 or more');
  }
  if (!Number.isInteger(input.earnPerAmount) || input.earnPerAmount < 1) {
    throw badInput('earnPerAmount', 'a whole number of đồng, 1 or more');
  }
  const sources = input.earnSources?.length ? [...new Set(input.earnSources)] : [...ORDER_SOURCES];
  for (const s of sources) {
    if (!(ORDER_SOURCES as readonly string[]).includes(s))
      throw badInput('earnSources', `unknown source ${s}`);
  }
  if (input.tierPeriod !== 'LIFETIME' && input.tierPeriod !== 'ROLLING_12_MONTHS') {
    throw badInput('tierPeriod', 'LIFETIME or ROLLING_12_MONTHS');
  }
  const expiry = input.expiryMonths ?? null;
  if (expiry !== null && (!Number.isInteger(expiry) || expiry < 1 || expiry > 120)) {
    throw badInput('expiryMonths', 'between 1 and 120 months');
  }
  return {
    tiers: input.tiers.map((t) => ({
      name: t.name.trim(),
      threshold: t.threshold,
      cardUrl: t.cardUrl ?? null,
      benefits: t.benefits ?? null,
      multiplier: t.multiplier ?? null,
    })),
    earn: { points: input.earnPoints, perAmount: input.earnPerAmount, sources },
    tierPeriod: input.tierPeriod,
    expiryMonths: expiry,
  };
}
