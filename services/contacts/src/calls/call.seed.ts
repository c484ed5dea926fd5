import type { DataSource } from 'typeorm';
import { DEMO_CUSTOMERS, toE164 } from '@customer-graph/runtime';

const HOTLINE = '1900 6868';

/** A few calls with the first demo customers; fixed call ids make a second run a no-op. */
export async function seedDemoCalls(db: DataSource, workspaceId: string): Promise<void> {
  const [duc, mai] = DEMO_CUSTOMERS;
  const calls = [
    { id: 'demo-call-1', c: duc, dir: 'INBOUND', result: 'ANSWERED', day: 2, ring: 8, talk: 185 },
    { id: 'demo-call-2', c: duc, dir: 'OUTBOUND', result: 'MISSED', day: 3, ring: 30, talk: 0 },
    { id: 'demo-call-3', c: mai, dir: 'INBOUND', result: 'ANSWERED', day: 4, ring: 5, talk: 62 },
  ];
  for (const call of calls) {
    const startedAt = new Date(Date.UTC(2026, 1, call.day, 2, 30));
    const at = (s: number) => new Date(startedAt.getTime() + s * 1000);
    await db.query(
      `INSERT INTO customer_call (workspace_id, customer_id, provider_call_id, hotline,
         customer_number, customer_e164, direction, result, started_at, answered_at, ended_at,
         ring_seconds, talk_seconds, staff, recorded)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'demo-staff', true
        WHERE EXISTS (SELECT 1 FROM customer WHERE workspace_id = $1 AND id = $2)
       ON CONFLICT (workspace_id, provider_call_id) DO NOTHING`,
      [
        workspaceId,
        call.c.id,
        call.id,
        HOTLINE,
        call.c.phone,
        toE164(call.c.phone),
        call.dir,
        call.result,
        startedAt,
        call.result === 'ANSWERED' ? at(call.ring) : null,
        at(call.ring + call.talk),
        call.ring,
        call.talk,
      ],
    );
  }
}
