// Posts the sandbox's delivery reports, once due, through the same webhooks real
// providers call (sandbox.wire.ts), so a campaign run on the sandbox exercises the whole
// path: POST to our own public URL, signature check, timeline, status.
//
// A report goes out only where a real one could: email and SMS when their webhook
// secret is configured, ZNS and Zalo OA / broadcast deliveries when the sandbox is given
// the OA's app id and secret (SANDBOX_ZALO_*; Zalo has no event for a failure), and
// never for Facebook. Which applies is fixed when the message is accepted (a null
// report_due_at: no report). A post that fails is tried again 30 s later.
import type { DataSource } from 'typeorm';
import { startPeriodic } from '@customer-graph/runtime';
import type { Logger, Worker } from '@customer-graph/runtime';
import type { MarketingChannel } from '../../messages/message.entity';
import type { SandboxOutcome } from './sandbox.outcome';
import { emailEvents, signedHmacPost, signedZaloPost, smsReport } from './sandbox.wire';
import type { DueReport, SignedPost } from './sandbox.wire';

export interface ReportTargets {
  /** Our public webhook base URL (PUBLIC_WEBHOOK_BASE_URL). */
  baseUrl: string;
  emailSecret?: string;
  smsSecret?: string;
  zalo?: { appId: string; oaId: string; oaSecret: string };
}

/** Whether a message of this channel and fate will get a report. */
export function reportable(
  channel: MarketingChannel,
  outcome: SandboxOutcome,
  targets: ReportTargets,
): boolean {
  switch (channel) {
    case 'EMAIL':
      return targets.emailSecret !== undefined;
    case 'SMS':
      return targets.smsSecret !== undefined;
    case 'ZNS':
    case 'ZALO_OA':
    case 'ZALO_BULK':
      return targets.zalo !== undefined && outcome !== 'FAILED';
    case 'FACEBOOK':
      return false;
  }
}

const EMAIL_PER_POST = 300; // ≤ 3 events each: within the webhook's 1,000 events
const RETRY_S = 30;

function postsFor(rows: DueReport[], targets: ReportTargets): [SignedPost, DueReport[]][] {
  const posts: [SignedPost, DueReport[]][] = [];
  const email = rows.filter((r) => r.channel === 'EMAIL');
  for (let i = 0; targets.emailSecret && i < email.length; i += EMAIL_PER_POST) {
    const chunk = email.slice(i, i + EMAIL_PER_POST);
    const body = { events: chunk.flatMap(emailEvents) };
    posts.push([signedHmacPost('/webhooks/email', body, targets.emailSecret), chunk]);
  }
  const sms = rows.filter((r) => r.channel === 'SMS');
  if (targets.smsSecret && sms.length > 0) {
    const body = { reports: sms.map(smsReport) };
    posts.push([signedHmacPost('/webhooks/sms', body, targets.smsSecret), sms]);
  }
  for (const r of rows.filter((r) => ['ZNS', 'ZALO_OA', 'ZALO_BULK'].includes(r.channel))) {
    if (targets.zalo) posts.push([signedZaloPost(r, targets.zalo), [r]]);
  }
  return posts;
}

/** Posts the reports due at `now` (at most `limit`); answers how many were accepted. */
export async function postDueReports(
  db: DataSource,
  targets: ReportTargets,
  logger: Logger,
  now = new Date(),
  limit = 500,
): Promise<number> {
  return db.transaction(async (tx) => {
    const rows: DueReport[] = await tx.query(
      `SELECT channel, idempotency_key AS "messageId", provider_message_id AS "providerMessageId",
              address, outcome, reason, report_due_at AS "dueAt"
         FROM sandbox_provider_message
        WHERE reported_at IS NULL AND report_due_at <= $1
        ORDER BY report_due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    const posts = postsFor(rows, targets);
    const posted = new Set(posts.flatMap(([, covered]) => covered));
    const done: DueReport[] = [];
    const retry: DueReport[] = [];
    for (const [post, covered] of posts) {
      try {
        const res = await fetch(`${targets.baseUrl}${post.path}`, {
          method: 'POST',
          headers: post.headers,
          body: post.body,
          signal: AbortSignal.timeout(10_000),
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
        done.push(...covered);
      } catch (error) {
        logger.warn('sandbox report not accepted; will retry', {
          path: post.path,
          error: (error as Error).message,
        });
        retry.push(...covered);
      }
    }
    const keys = (list: DueReport[]) => [list.map((r) => r.channel), list.map((r) => r.messageId)];
    const update = (set: string, list: DueReport[]) =>
      list.length === 0
        ? undefined
        : tx.query(
            `UPDATE sandbox_provider_message s SET ${set}
               FROM unnest($1::text[], $2::text[]) AS k (channel, key)
              WHERE s.channel = k.channel AND s.idempotency_key = k.key`,
            keys(list),
          );
    await update('reported_at = now()', done);
    await update(`report_due_at = now() + interval '${RETRY_S} seconds'`, retry);
    // No target any more (a secret removed since): the report is dropped.
    await update(
      'report_due_at = NULL',
      rows.filter((r) => !posted.has(r)),
    );
    return done.length;
  });
}

export function startSandboxReporter(
  db: DataSource,
  targets: ReportTargets,
  logger: Logger,
  intervalMs = 1_000,
): Worker {
  return startPeriodic({
    everyMs: intervalMs,
    // Reports posted: more may be due at once.
    pass: async () => (await postDueReports(db, targets, logger)) > 0,
    failed: (error) => logger.warn('sandbox reports failed; will retry', { error: error.message }),
  });
}
