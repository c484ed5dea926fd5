// Applying one webhook event to its call, in the workspace of the connection that
// signed it, in one transaction:
//   1. the call is locked (an advisory lock on workspace + call id: a call's events
//      are applied one at a time, each seeing all those before it);
//   2. the event is recorded, keyed by the body's SHA-256: a delivery seen before
//      writes nothing and is answered `duplicate` (copies arriving together too: the
//      second waits for the first's lock, then finds its row). The row recorded is
//      the effect itself — the call is computed from its events;
//   3. unless the call was recorded whole by recordCalls (then it stays as it is),
//      the call is computed from all its events (call.events.ts), its customer found
//      or made by its number (call.match.ts), and written (call.write.ts).
import type { DataSource, EntityManager } from 'typeorm';
import type { CallEvent } from './call.events';
import { foldCallEvents } from './call.events';
import type { WireCallEvent } from './call-event.wire';
import { customersForNumbers } from './call.match';
import { writeCalls } from './call.write';

export interface Applied {
  /** Whether the event was taken into the call. */
  applied: boolean;
  /** The same delivery was applied before: this one changed nothing. */
  duplicate?: true;
  /** The call was recorded whole by recordCalls: events no longer change it. */
  recorded?: true;
}

const EVENT_COLUMNS = `kind, at, hotline, customer_number AS "customerNumber",
  customer_e164 AS "customerE164", direction, staff, result, talk_seconds AS "talkSeconds",
  recording_url AS "recordingUrl", encode(body_sha256, 'hex') AS "bodySha256"`;

/** Serialises the writers of one call (the webhook's events). */
async function lockCall(tx: EntityManager, workspaceId: string, providerCallId: string) {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('call ' || $1 || ' ' || $2, 0))`, [
    workspaceId,
    providerCallId,
  ]);
}

export async function applyCallEvent(
  db: DataSource,
  workspaceId: string,
  event: WireCallEvent,
  bodySha256: Buffer,
): Promise<Applied> {
  return db.transaction(async (tx) => {
    await lockCall(tx, workspaceId, event.callId);
    const recorded = await tx.query(
      `INSERT INTO customer_call_event (workspace_id, body_sha256, provider_call_id, kind, at,
         hotline, customer_number, customer_e164, direction, staff, result, talk_seconds,
         recording_url)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (workspace_id, body_sha256) DO NOTHING RETURNING 1`,
      [
        workspaceId,
        bodySha256,
        event.callId,
        event.kind,
        event.at,
        event.hotline,
        event.customerNumber,
        event.customerE164,
        event.direction,
        event.staff,
        event.result,
        event.talkSeconds,
        event.recordingUrl,
      ],
    );
    if (recorded.length === 0) return { applied: false, duplicate: true };
    const [call]: { recorded: boolean; customerId: string; customerE164: string }[] =
      await tx.query(
        `SELECT recorded, customer_id AS "customerId", customer_e164 AS "customerE164"
           FROM customer_call WHERE workspace_id = $1 AND provider_call_id = $2`,
        [workspaceId, event.callId],
      );
    if (call?.recorded) return { applied: false, recorded: true };
    const events: CallEvent[] = await tx.query(
      `SELECT ${EVENT_COLUMNS} FROM customer_call_event
        WHERE workspace_id = $1 AND provider_call_id = $2`,
      [workspaceId, event.callId],
    );
    const folded = foldCallEvents(events);
    // The customer of the call's number: the one it has while the number is the same.
    const customerId =
      call && call.customerE164 === folded.customerE164
        ? call.customerId
        : (
            await customersForNumbers(tx, workspaceId, [
              { number: folded.customerNumber, e164: folded.customerE164 },
            ])
          ).get(folded.customerE164)!;
    const written = await writeCalls(
      tx,
      workspaceId,
      [{ ...folded, customerId, providerCallId: event.callId, note: null }],
      'events',
    );
    // Recorded by recordCalls meanwhile (it takes no lock of ours): the record stands.
    if (written.length === 0 && !call) return { applied: false, recorded: true };
    return { applied: true };
  });
}
