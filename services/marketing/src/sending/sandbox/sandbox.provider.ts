// The sandbox provider: the embedded default for every channel (docs/marketing.md). It
// accepts a batch into sandbox_provider_message, one row per (channel, idempotency key =
// our message id): a key sent before answers the provider id it got then (ON CONFLICT),
// so a message sent again after a crash is accepted once. Its fate is decided at
// acceptance (sandbox.outcome.ts) and reported later by sandbox.reports.ts.
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { MarketingChannel } from '../../messages/message.entity';
import type { ChannelProvider, OutgoingMessage, SendOutcome } from '../provider.port';
import { decideOutcome, refusedAddress } from './sandbox.outcome';
import { reportable } from './sandbox.reports';
import type { ReportTargets } from './sandbox.reports';

export function createSandboxProvider(
  db: DataSource,
  channel: MarketingChannel,
  options: { failureRate: number; targets: ReportTargets },
): ChannelProvider {
  return {
    channel,
    async send(batch: OutgoingMessage[]): Promise<SendOutcome[]> {
      const refused = new Map<string, string>();
      const accept: (OutgoingMessage & ReturnType<typeof decideOutcome>)[] = [];
      for (const m of batch) {
        const why = refusedAddress(channel, m.address);
        if (why) refused.set(m.messageId, why);
        else accept.push({ ...m, ...decideOutcome(channel, m.messageId, options.failureRate) });
      }
      const rows: { key: string; providerId: string }[] =
        accept.length === 0
          ? []
          : await db.query(
              `WITH offered AS (
                 SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                   $8::int[], $9::bool[])
                   AS o (key, provider_id, workspace_id, address, outcome, reason, delay_ms, report)),
               added AS (
                 INSERT INTO sandbox_provider_message (channel, idempotency_key,
                   provider_message_id, workspace_id, address, outcome, reason, report_due_at)
                 SELECT $1, o.key, o.provider_id, o.workspace_id, o.address, o.outcome, o.reason,
                        CASE WHEN o.report
                          THEN now() + make_interval(secs => o.delay_ms / 1000.0) END
                   FROM offered o
                 ON CONFLICT (channel, idempotency_key) DO NOTHING
                 RETURNING idempotency_key AS key, provider_message_id AS "providerId")
               SELECT key, "providerId" FROM added
               UNION ALL
               SELECT s.idempotency_key, s.provider_message_id FROM sandbox_provider_message s
                 JOIN offered o ON s.channel = $1 AND s.idempotency_key = o.key
                WHERE NOT EXISTS (SELECT 1 FROM added a WHERE a.key = o.key)`,
              [
                channel,
                accept.map((m) => m.messageId),
                accept.map(() => `sbx-${randomUUID()}`),
                accept.map((m) => m.workspaceId),
                accept.map((m) => m.address),
                accept.map((m) => m.outcome),
                accept.map((m) => m.reason),
                accept.map((m) => m.reportDelayMs),
                accept.map((m) => reportable(channel, m.outcome, options.targets)),
              ],
            );
      return [
        ...rows.map((r) => ({ messageId: r.key, providerMessageId: r.providerId })),
        ...[...refused].map(([messageId, reason]) => ({
          messageId,
          error: { reason, permanent: true },
        })),
      ];
    },
  };
}
