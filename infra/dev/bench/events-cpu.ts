// The events bench's CPU phase: the stack's CPU per webhook, per process (from /proc),
// from the first webhook sent until every one is linked, with nobody watching through
// the gateway (the watching would cost more than the webhooks). Completion is read
// straight from followers' database every 100 ms (a count on an index). The stack's
// idle CPU (relays' and consumers' timers, heartbeats) is measured just before, over
// the same length of time, and given apart.
import { Client } from 'pg';
import { postgresUrl } from '../src/postgres';
import { cpuPer, sampleCpu } from './process-cpu';
import { drive } from './events-drive';
import type { BenchWorkspace } from './events-drive';

export async function cpuPhase(
  stack: { gateway: string; ports: Record<string, string>; process: { pid?: number } },
  ws: BenchWorkspace,
  rate: number,
  seconds: number,
  /** Called as the load starts and once every webhook is linked (a profiler's window). */
  window?: { start(): void; end(): void },
) {
  const pid = stack.process.pid!;
  const db = new Client({
    connectionString: postgresUrl(Number(stack.ports.POSTGRES_PORT), 'cg_followers'),
  });
  await db.connect();
  const linked = async () =>
    Number(
      (
        await db.query(
          'SELECT count(*)::int AS n FROM zalo_follower WHERE workspace_id = $1 AND customer_id IS NOT NULL',
          [ws.workspaceId],
        )
      ).rows[0].n,
    );
  try {
    const idleMs = Math.min(seconds, 5) * 1000;
    const idleBefore = sampleCpu(pid);
    await new Promise((r) => setTimeout(r, idleMs));
    const idle = cpuPer(idleBefore, sampleCpu(pid), idleMs / 1000);

    window?.start();
    const before = sampleCpu(pid);
    const client = process.cpuUsage();
    const started = Date.now();
    const driven = await drive(stack.gateway, ws, rate, seconds, false);
    while ((await linked()) < driven.sent - driven.refused) {
      if (Date.now() - started > 120_000) throw new Error('webhooks not linked within 120 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const elapsed = (Date.now() - started) / 1000;
    const after = sampleCpu(pid);
    const clientUs = process.cpuUsage(client);
    window?.end();
    const gross = cpuPer(before, after, driven.sent);
    // The idle share of each process over the phase, spread over its webhooks.
    const net =
      gross &&
      Object.fromEntries(
        Object.entries(gross).map(([name, ms]) => {
          const idlePerSecond = (idle as Record<string, number> | null)?.[name] ?? 0;
          const share = (idlePerSecond * elapsed) / driven.sent;
          return [name, Math.round(Math.max(0, ms - share) * 100) / 100];
        }),
      );
    return {
      ratePerSecond: rate,
      achievedRatePerSecond: driven.achievedRatePerSecond,
      webhooks: driven.sent,
      refused: driven.refused,
      secondsUntilAllLinked: Math.round(elapsed * 10) / 10,
      /** CPU ms per webhook, each process and in all, idle included. */
      cpuMsPerWebhook: gross,
      /** The same without the stack's idle CPU over the phase's length. */
      cpuMsPerWebhookNetOfIdle: net,
      /** The stack idle: CPU ms per second. */
      idleCpuMsPerSecond: idle,
      /** This process, the load client (signing and sending the webhooks), on the same cores. */
      loadClientCpuMsPerWebhook:
        Math.round(((clientUs.user + clientUs.system) / 1000 / driven.sent) * 100) / 100,
    };
  } finally {
    await db.end();
  }
}
