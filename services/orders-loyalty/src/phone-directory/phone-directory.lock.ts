// Matching orders to customers by phone is serialised per workspace, so that an order
// and the number it needs never miss each other.
//
// Without it, two transactions race: an upsert looks its phones up in the directory
// (not there yet) while a handler records the number and attaches the unattached
// orders it can see (not the upsert's, uncommitted). Both commit, and the order waits
// for a customer forever — its buyer was already asked about, so it is not asked again.
// Every transaction that writes orders with phones (upsertOrders), attaches one by hand
// (attachOrder) or changes the directory (phones-changed, buyer-matched, a deletion)
// takes this lock first; the second of two then starts its statements after the
// first's commit and sees it.
//
// One lock per workspace, not per number: a transaction holding it never waits for it
// again, so two upserts, or an upsert and a handler, cannot deadlock on it. (A chunk of
// events from several workspaces takes several, in event order; two such chunks on two
// partitions can deadlock, which Postgres breaks within a second and the consumer
// retries event by event.)
import type { EntityManager } from 'typeorm';

export async function lockPhoneMatching(tx: EntityManager, workspaceId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('phone-matching ' || $1, 0))`, [
    workspaceId,
  ]);
}
