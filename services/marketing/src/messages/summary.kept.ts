// The Marketing summary kept per customer and channel (`marketing_customer_summary`,
// migrations/1766600000300-KeptSummary.ts; docs/marketing.md, "The kept summary").
// Statement triggers on marketing_message keep it in the transaction of every insert,
// update and delete; what they cannot see is here: a month dropped past the retention
// (DROP TABLE fires no trigger) is subtracted in the transaction that drops it.
import type { EntityManager } from 'typeorm';

/**
 * The figures as the messages give them (a select list over marketing_message), in the
 * kept table's column order: what the migration summed, what the bench seed writes and
 * what the tests and the seed check compare the kept rows with.
 */
export const SUMMARY_AGGREGATE = `workspace_id, customer_id, channel, count(*)::int AS messages,
  count(*) FILTER (WHERE status_rank >= 1)::int AS sent,
  count(*) FILTER (WHERE status_rank >= 3)::int AS delivered,
  count(*) FILTER (WHERE status_rank >= 4)::int AS opened,
  count(*) FILTER (WHERE status_rank >= 5)::int AS clicked,
  count(*) FILTER (WHERE status_rank = 2)::int AS failed,
  max(coalesce(sent_at, created_at)) AS last_at`;

/** The kept table's columns, in SUMMARY_AGGREGATE's order. */
export const SUMMARY_COLUMNS = `workspace_id, customer_id, channel, messages, sent, delivered,
  opened, clicked, failed, last_at`;

/**
 * Takes the messages of one month's partition (about to be dropped, in this transaction)
 * out of the kept figures. The caller holds marketing_message in SHARE ROW EXCLUSIVE
 * mode (no writer until it commits), so the statement sees every committed message.
 * A group whose latest message may have been in the month gets the latest of the months
 * after it (`keptFrom` on: the months before are dropped first); a group left with no
 * message is deleted.
 */
export async function subtractMonth(
  tx: Pick<EntityManager, 'query'>,
  partition: string,
  keptFrom: Date,
): Promise<void> {
  const [emptied]: { ws: string[] | null; customers: string[]; channels: string[] }[] =
    await tx.query(
      `WITH g AS (SELECT ${SUMMARY_AGGREGATE} FROM ${partition}
                 GROUP BY workspace_id, customer_id, channel),
     up AS (UPDATE marketing_customer_summary s SET
       messages = s.messages - g.messages, sent = s.sent - g.sent,
       delivered = s.delivered - g.delivered, opened = s.opened - g.opened,
       clicked = s.clicked - g.clicked, failed = s.failed - g.failed,
       last_at = CASE WHEN g.last_at < s.last_at THEN s.last_at
                 ELSE coalesce((SELECT max(coalesce(m.sent_at, m.created_at)) FROM marketing_message m
                                 WHERE m.workspace_id = s.workspace_id AND m.customer_id = s.customer_id
                                   AND m.channel = s.channel AND m.created_at >= $1), s.last_at) END
      FROM g
     WHERE s.workspace_id = g.workspace_id AND s.customer_id = g.customer_id AND s.channel = g.channel
     RETURNING s.workspace_id, s.customer_id, s.channel, s.messages)
     SELECT array_agg(workspace_id) AS ws, array_agg(customer_id) AS customers,
            array_agg(channel) AS channels
       FROM up WHERE messages = 0`,
      [keptFrom],
    );
  if (!emptied.ws) return;
  await tx.query(
    `DELETE FROM marketing_customer_summary s
      USING unnest($1::text[], $2::uuid[], $3::text[]) AS k(ws, customer, channel)
      WHERE s.workspace_id = k.ws AND s.customer_id = k.customer AND s.channel = k.channel
        AND s.messages = 0`,
    [emptied.ws, emptied.customers, emptied.channels],
  );
}
