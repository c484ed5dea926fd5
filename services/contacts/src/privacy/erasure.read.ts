// An erasure as `customerErasure` shows it: contacts' own part and each other
// subgraph's confirmation (erasure-done.handler.ts records them).
import type { EntityManager } from 'typeorm';
import type { ErasureStatus } from '../generated/graphql';

/** The subgraphs that confirm an erasure, in the order they are shown after contacts. */
export const CONFIRMING_SUBGRAPHS = ['followers', 'orders-loyalty', 'marketing'] as const;
export type ConfirmingSubgraph = (typeof CONFIRMING_SUBGRAPHS)[number];

export interface ErasedRowsView {
  kind: string;
  count: number;
}

export interface ErasureView {
  id: string;
  customerId: string;
  erasedBy: string;
  erasedAt: Date;
  status: ErasureStatus;
  completedAt: Date | null;
  subgraphs: {
    subgraph: string;
    confirmed: boolean;
    confirmedAt: Date | null;
    removed: ErasedRowsView[];
  }[];
}

const rowsOf = (removed: Record<string, number>): ErasedRowsView[] =>
  Object.entries(removed).map(([kind, count]) => ({ kind, count }));

/** The erasure of the workspace's customer `customerId`, or null. */
export async function erasureOf(
  db: EntityManager,
  workspaceId: string,
  customerId: string,
): Promise<ErasureView | null> {
  const [erasure]: {
    id: string;
    erased_by: string;
    erased_at: Date;
    removed: Record<string, number>;
  }[] = await db.query(
    `SELECT id, erased_by, erased_at, removed FROM customer_erasure
      WHERE workspace_id = $1 AND customer_id = $2`,
    [workspaceId, customerId],
  );
  if (!erasure) return null;
  const confirmations: {
    subgraph: string;
    removed: Record<string, number>;
    confirmed_at: Date;
  }[] = await db.query(
    `SELECT subgraph, removed, confirmed_at FROM customer_erasure_confirmation
      WHERE workspace_id = $1 AND erasure_id = $2`,
    [workspaceId, erasure.id],
  );
  const bySubgraph = new Map(confirmations.map((c) => [c.subgraph, c]));
  const others = CONFIRMING_SUBGRAPHS.map((subgraph) => {
    const c = bySubgraph.get(subgraph);
    return {
      subgraph,
      confirmed: !!c,
      confirmedAt: c?.confirmed_at ?? null,
      removed: c ? rowsOf(c.removed) : [],
    };
  });
  const complete = others.every((o) => o.confirmed);
  return {
    id: erasure.id,
    customerId,
    erasedBy: erasure.erased_by,
    erasedAt: erasure.erased_at,
    status: complete ? 'COMPLETE' : 'PENDING',
    completedAt: complete
      ? new Date(Math.max(...others.map((o) => o.confirmedAt!.getTime())))
      : null,
    subgraphs: [
      {
        subgraph: 'contacts',
        confirmed: true,
        confirmedAt: erasure.erased_at,
        removed: rowsOf(erasure.removed),
      },
      ...others,
    ],
  };
}
