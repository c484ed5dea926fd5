// bench:page's marketing rows, as a year of whole-base campaigns leaves them: each
// campaign's audience is every customer (filter {}) who existed at its start, less
// those with no address on its channel (contacts' audience.resolve.ts: the first phone
// for SMS and ZNS, the email, the Zalo id for ZALO_OA and ZALO_BULK; no FACEBOOK
// campaign, contacts knows no address for it). The last five campaigns, one per
// channel, start after the newest customer was created, so every page of the list has
// messages; the earlier ones are spread over the months before, as many as it takes to
// reach the workspace's number of messages (roughly: a campaign is all or nothing).
// Messages end at the furthest status they reached, with their timelines
// (marketing-seed.ts's insertTimelines); campaigns get their audience figures and
// batches; the kept summary (marketing_customer_summary) is the messages' aggregate, as
// the service's triggers and migration leave it (the load's replica role skips the
// triggers, so it is written once, after the messages). Consent: a full customer (the first pages) changed one channel's, others
// now and then, all after the last campaign.
import type { Client } from 'pg';
import { SUMMARY_AGGREGATE, SUMMARY_COLUMNS } from '@customer-graph/marketing';
import { insertTimelines, messageIdSql } from '../marketing-seed';
import { seedProjectedBasics } from './page-seed.followers';
import { NEWEST_AGE_DAYS, SPAN_DAYS } from './page-seed.profile';
import type { WorkspacePlan } from './page-seed.profile';

const DAY = 86_400_000;
/** At most this many messages per statement (whole campaigns). */
const CHUNK = 200_000;
const ROTATION = ['ZALO_OA', 'EMAIL', 'SMS', 'ZNS', 'ZALO_BULK'] as const;
const POOL: Record<(typeof ROTATION)[number], string> = {
  ZALO_OA: 'zalo',
  ZALO_BULK: 'zalo',
  EMAIL: 'email',
  SMS: 'phone',
  ZNS: 'phone',
};
const LABEL: Record<(typeof ROTATION)[number], string> = {
  ZALO_OA: 'Tin Zalo OA',
  ZALO_BULK: 'Zalo hàng loạt',
  EMAIL: 'Email khuyến mãi',
  SMS: 'SMS ưu đãi',
  ZNS: 'ZNS chăm sóc',
};

interface Campaign {
  workspaceId: string;
  id: string;
  name: string;
  channel: (typeof ROTATION)[number];
  startedAt: Date;
  /** Messages expected (the pool's customers existing at the start). */
  expected: number;
}

/** Messages expected of a campaign: its pool, scaled by the share of customers who existed. */
function expected(pool: number, base: number, startedAt: number): number {
  const newest = base - NEWEST_AGE_DAYS * DAY;
  const oldest = base - SPAN_DAYS * DAY;
  return pool * Math.min(1, Math.max(0, (startedAt - oldest) / (newest - oldest)));
}

/** One workspace's campaigns, oldest first (page-seed.marketing.ts's header). */
function planCampaigns(plan: WorkspacePlan, pools: Map<string, number>, base: number): Campaign[] {
  const at = (daysAgo: number, j: number) =>
    new Date(Math.floor((base - daysAgo * DAY) / DAY) * DAY + (2 + (j % 8)) * 3_600_000);
  const campaign = (channel: Campaign['channel'], startedAt: Date): Campaign => ({
    workspaceId: plan.workspaceId,
    id: '',
    name: `${LABEL[channel]} ${startedAt.getUTCDate()}/${startedAt.getUTCMonth() + 1}`,
    channel,
    startedAt,
    expected: expected(pools.get(POOL[channel]) ?? 0, base, startedAt.getTime()),
  });
  const recent: Campaign[] = [];
  let total = 0;
  for (const [j, channel] of ROTATION.entries()) {
    if (j > 0 && total >= plan.messages) break;
    const c = campaign(channel, at(NEWEST_AGE_DAYS - 2 - 2 * j, j));
    recent.push(c);
    total += c.expected;
  }
  const earlier = (k: number) =>
    Array.from({ length: k }, (_, j) =>
      campaign(ROTATION[j % ROTATION.length], at(NEWEST_AGE_DAYS + 2 + (j * 340) / k, j)),
    );
  let older: Campaign[] = [];
  for (let k = 1; total < plan.messages && k <= 1000; k++) {
    older = earlier(k);
    if (total + older.reduce((sum, c) => sum + c.expected, 0) >= plan.messages) break;
  }
  return [...older.reverse(), ...recent];
}

export async function seedMarketing(
  db: Client,
  plans: readonly WorkspacePlan[],
  base: Date,
): Promise<{ campaigns: number }> {
  await seedProjectedBasics(db);
  await db.query(
    `CREATE TEMP TABLE seed_reach AS
     SELECT c.ws, a.pool, c.r, c.id, a.address, c.created_at,
            row_number() OVER (PARTITION BY c.ws, a.pool ORDER BY c.r) AS j
       FROM seed_customer c
      CROSS JOIN LATERAL (VALUES ('phone', c.e164_1), ('email', c.email), ('zalo', c.zalo)) AS a(pool, address)
      WHERE a.address IS NOT NULL`,
  );
  await db.query('CREATE INDEX ON seed_reach (ws, pool, created_at)');
  await db.query('ANALYZE seed_reach');
  const { rows } = await db.query<{ ws: string; pool: string; n: number }>(
    'SELECT ws, pool, count(*)::int AS n FROM seed_reach GROUP BY ws, pool',
  );
  const pools = new Map<string, Map<string, number>>();
  for (const r of rows) pools.set(r.ws, (pools.get(r.ws) ?? new Map()).set(r.pool, r.n));
  const campaigns = plans.flatMap((p) =>
    planCampaigns(p, pools.get(p.workspaceId) ?? new Map(), base.getTime()),
  );
  const { rows: ids } = await db.query<{ id: string }>(
    `INSERT INTO campaign (workspace_id, name, channel, content_summary, audience, status,
       started_at, finished_at, excluded_restricted, excluded_opted_out, created_by, created_at,
       updated_at)
     SELECT ws, name, channel, 'Ưu đãi cho khách hàng thân thiết: ' || name,
            '{"listId": null, "filter": {}, "splitParts": null, "part": null}'::jsonb, 'SENT',
            started_at, started_at + interval '2 hours', 0, 0, 'admin-1', started_at - interval '1 day',
            started_at + interval '2 hours'
       FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) WITH ORDINALITY
              AS c(ws, name, channel, started_at, k)
      ORDER BY k
     RETURNING id`,
    [
      campaigns.map((c) => c.workspaceId),
      campaigns.map((c) => c.name),
      campaigns.map((c) => c.channel),
      campaigns.map((c) => c.startedAt),
    ],
  );
  campaigns.forEach((c, i) => (c.id = ids[i].id));
  const goal = plans.reduce((sum, p) => sum + p.messages, 0);
  let written = 0;
  for (let i = 0; i < campaigns.length;) {
    const chunk: Campaign[] = [];
    let rows = 0;
    while (i < campaigns.length && (chunk.length === 0 || rows + campaigns[i].expected <= CHUNK)) {
      rows += campaigns[i].expected;
      chunk.push(campaigns[i++]);
    }
    written += await insertMessages(db, chunk);
    await insertTimelines(db, chunk);
    console.log(`  messages ${written} (of about ${goal})`);
  }
  await db.query('ANALYZE marketing_message');
  await db.query(
    `INSERT INTO marketing_customer_summary (${SUMMARY_COLUMNS})
     SELECT ${SUMMARY_AGGREGATE} FROM marketing_message
      WHERE workspace_id IN (SELECT ws FROM seed_ws) GROUP BY workspace_id, customer_id, channel`,
  );
  await db.query('VACUUM (ANALYZE) marketing_customer_summary');
  await campaignFigures(db);
  await seedConsent(db);
  return { campaigns: campaigns.length };
}

/** The campaigns' messages: each reached pool customer who existed at the start. */
async function insertMessages(db: Client, chunk: readonly Campaign[]): Promise<number> {
  const { rowCount } = await db.query(
    `WITH m AS (
       SELECT c.*, p.id AS customer_id, p.address, p.j, md5(c.id::text || ':' || p.j) AS h,
              (p.j * 37 + c.k) % 100 AS roll
         FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
                WITH ORDINALITY AS c(ws, id, name, channel, pool, started_at, k)
         JOIN seed_reach p ON p.ws = c.ws AND p.pool = c.pool AND p.created_at <= c.started_at),
     s AS (
       SELECT m.*, CASE WHEN roll < 5 THEN 'FAILED' WHEN roll < 20 THEN 'SENT'
                        WHEN roll < 70 OR channel = 'SMS' THEN 'DELIVERED'
                        WHEN roll < 90 THEN 'OPENED' ELSE 'CLICKED' END AS status,
              started_at + (j % 3600) * interval '1 second' AS sent_at
         FROM m)
     INSERT INTO marketing_message (id, workspace_id, customer_id, campaign_id, campaign_name,
       channel, address, content_summary, status, status_at, failure_reason, send_state,
       attempts, provider_message_id, sent_at, created_at)
     SELECT ${messageIdSql('started_at', 'h')}, ws, customer_id, id, name, channel, address,
            'Ưu đãi cho khách hàng thân thiết: ' || name, status, sent_at + interval '5 minutes',
            CASE WHEN status = 'FAILED' THEN 'UNDELIVERED: handset off' END, 'DONE', 1,
            'pm-' || h, sent_at, started_at
       FROM s`,
    [
      chunk.map((c) => c.workspaceId),
      chunk.map((c) => c.id),
      chunk.map((c) => c.name),
      chunk.map((c) => c.channel),
      chunk.map((c) => POOL[c.channel]),
      chunk.map((c) => c.startedAt),
    ],
  );
  return rowCount ?? 0;
}

/** Audience figures and member batches (of 1,000), as contacts' answer leaves them. */
async function campaignFigures(db: Client): Promise<void> {
  await db.query(
    `UPDATE campaign k SET audience_members = x.n, audience_batches = ceil(x.n / 1000.0)::int,
            excluded_no_address = (SELECT count(*) FROM seed_customer c
                                    WHERE c.ws = k.workspace_id AND c.created_at <= k.started_at) - x.n
       FROM (SELECT workspace_id, campaign_id, count(*)::int AS n FROM marketing_message
              WHERE workspace_id IN (SELECT ws FROM seed_ws) GROUP BY 1, 2) x
      WHERE k.workspace_id = x.workspace_id AND k.id = x.campaign_id`,
  );
  await db.query(
    `INSERT INTO campaign_audience_batch (workspace_id, campaign_id, batch, members, received_at)
     SELECT k.workspace_id, k.id, b, least(1000, k.audience_members - (b - 1) * 1000),
            k.started_at + b * interval '1 second'
       FROM campaign k CROSS JOIN LATERAL generate_series(1, k.audience_batches) AS b
      WHERE k.workspace_id IN (SELECT ws FROM seed_ws)`,
  );
}

/**
 * Consent set by staff a day ago: a full customer opted out of SMS, or out of email and
 * back in (version 2); one in 33 of the others opted out of one channel.
 */
async function seedConsent(db: Client): Promise<void> {
  await db.query(
    `INSERT INTO channel_consent (workspace_id, customer_id, channel, opted_out, reason,
       changed_by, changed_at, version)
     SELECT ws, id, channel, opted_out, 'STAFF', COALESCE(staff, 'admin-1'),
            base - interval '1 day' + (h % 3600) * interval '1 second', version
       FROM (SELECT c.*, CASE WHEN c.is_full AND (c.h >> 40) % 2 = 0 THEN 'SMS'
                              WHEN c.is_full THEN 'EMAIL'
                              ELSE (ARRAY['SMS', 'EMAIL', 'ZNS', 'ZALO_BULK'])[1 + ((c.h >> 41) % 4)::int]
                         END AS channel,
                    NOT (c.is_full AND (c.h >> 40) % 2 = 1) AS opted_out,
                    CASE WHEN c.is_full AND (c.h >> 40) % 2 = 1 THEN 2 ELSE 1 END AS version
               FROM seed_customer c WHERE c.is_full OR (c.h2 >> 42) % 33 = 0) x`,
  );
}
