// Writing calls, for both ways they come in, in one set-based statement: an
// INSERT … ON CONFLICT (workspace, provider call id) DO UPDATE that changes a stored
// call only when a value differs, so a repeat changes nothing (and is counted so).
//
// - From `recordCalls` (`recorded`): the input is the whole call and replaces what
//   is stored, event-built or not; the call is marked recorded.
// - From the webhook's events (`events`): the call its events make (call.events.ts),
//   never over a recorded call.
// A stored call keeps its customer while its number stays the same (a merge may have
// moved it); a new number takes the customer of that number.
import type { EntityManager } from 'typeorm';
import type { CallDirection, CallResult } from './call.entity';

export interface CallWrite {
  customerId: string;
  providerCallId: string;
  hotline: string;
  customerNumber: string;
  customerE164: string;
  direction: CallDirection;
  result: CallResult | null;
  startedAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  ringSeconds: number | null;
  talkSeconds: number | null;
  staff: string | null;
  note: string | null;
  recordingUrl: string | null;
}

const VALUES = [
  'hotline',
  'customer_number',
  'customer_e164',
  'direction',
  'result',
  'started_at',
  'answered_at',
  'ended_at',
  'ring_seconds',
  'talk_seconds',
  'staff',
  'note',
  'recording_url',
  'recorded',
];
const differs = `(${VALUES.map((v) => `c.${v}`).join(', ')})
  IS DISTINCT FROM (${VALUES.map((v) => `EXCLUDED.${v}`).join(', ')})`;

/** Writes the calls (distinct provider call ids); returns those created or changed. */
export async function writeCalls(
  tx: EntityManager,
  workspaceId: string,
  calls: readonly CallWrite[],
  from: 'recorded' | 'events',
): Promise<{ providerCallId: string; created: boolean }[]> {
  if (calls.length === 0) return [];
  // In one order (the id's), so two writers of overlapping calls lock their rows in the
  // same order and never wait on each other in a circle.
  const sorted = [...calls].sort((a, b) =>
    a.providerCallId < b.providerCallId ? -1 : a.providerCallId > b.providerCallId ? 1 : 0,
  );
  const guard = from === 'events' ? `NOT c.recorded AND ${differs}` : differs;
  return tx.query(
    `INSERT INTO customer_call AS c (workspace_id, customer_id, provider_call_id, hotline,
       customer_number, customer_e164, direction, result, started_at, answered_at, ended_at,
       ring_seconds, talk_seconds, staff, note, recording_url, recorded)
     SELECT $1, x."customerId", x."providerCallId", x.hotline, x."customerNumber",
       x."customerE164", x.direction, x.result, x."startedAt", x."answeredAt", x."endedAt",
       x."ringSeconds", x."talkSeconds", x.staff, x.note, x."recordingUrl", $3
     FROM jsonb_to_recordset($2::jsonb) AS x("customerId" uuid, "providerCallId" text,
       hotline text, "customerNumber" text, "customerE164" text, direction text, result text,
       "startedAt" timestamptz, "answeredAt" timestamptz, "endedAt" timestamptz,
       "ringSeconds" int, "talkSeconds" int, staff text, note text, "recordingUrl" text)
     ON CONFLICT (workspace_id, provider_call_id) DO UPDATE SET
       customer_id = CASE WHEN c.customer_e164 = EXCLUDED.customer_e164 THEN c.customer_id
                          ELSE EXCLUDED.customer_id END,
       ${VALUES.map((v) => `${v} = EXCLUDED.${v}`).join(', ')}, updated_at = now()
     WHERE ${guard}
     RETURNING c.provider_call_id AS "providerCallId", (xmax = 0) AS created`,
    [workspaceId, JSON.stringify(sorted), from === 'recorded'],
  );
}
