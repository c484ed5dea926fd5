// bench:marketing's data, written with SQL as a year of campaigns would leave it:
// customers (contacts), and in marketing the campaigns of the last `months` full months,
// each sent to a spread of distinct customers on one channel, their messages with the
// furthest status each reached, and each message's timeline (a SENT event, and one for
// the status it ended at when that is further: ~1.85 events a message). Plus one large
// campaign started two hours ago (`campaignMembers` customers, split in 4 parts): the
// one whose stats are measured and whose messages get delivery reports.
//
// Rows are generated inside Postgres (INSERT … SELECT over generate_series, as
// orders-seed.ts does): nothing crosses the wire but the statements, which is what COPY
// would save, and no COPY client (pg-copy-streams) is among the dependencies.
import type { Client } from 'pg';

/** At most this many messages per statement. */
const CHUNK = 200_000;
/** A bulk campaign reaches at most this many customers. */
const CAMPAIGN_SIZE = 40_000;
const CHANNELS = ['SMS', 'EMAIL', 'ZNS', 'ZALO_OA', 'ZALO_BULK', 'FACEBOOK'];

export interface MarketingSeedSize {
  customers: number;
  messages: number;
  campaignMembers: number;
  months: number;
  /** Whether to write message_event rows (the timelines). */
  timelines: boolean;
}

export interface MarketingSeed {
  /** Customer ids, in the order of their number (Khách 1, 2 …). */
  customerIds: string[];
  /** The large campaign: its id and start (the partition of its messages). */
  campaign: { id: string; startedAt: Date; members: number };
  campaigns: number;
  messageEvents: number;
}

interface CampaignPlan {
  id: string;
  name: string;
  channel: string;
  startedAt: Date;
  size: number;
  k: number;
  parts: number | null;
}

export async function seedMarketing(
  contacts: Client,
  marketing: Client,
  ws: string,
  size: MarketingSeedSize,
): Promise<MarketingSeed> {
  await contacts.query('INSERT INTO workspace (id) VALUES ($1)', [ws]);
  const { rows } = await contacts.query(
    `INSERT INTO customer (workspace_id, name, name_search, created_at, updated_at)
     SELECT $1, 'Khách ' || i, 'khach ' || i,
            timestamptz '2024-01-01' + i * interval '1 minute', now()
       FROM generate_series(1, $2::int) AS i
     RETURNING id, name`,
    [ws, size.customers],
  );
  const customerIds: string[] = rows
    .sort((a, b) => Number(a.name.slice(6)) - Number(b.name.slice(6)))
    .map((r) => r.id as string);
  await contacts.query('ANALYZE customer');
  await marketing.query('INSERT INTO workspace (id) VALUES ($1) ON CONFLICT DO NOTHING', [ws]);

  const plans = planCampaigns(size);
  const { rows: ids } = await marketing.query(
    `INSERT INTO campaign (workspace_id, name, channel, content_summary, audience, status,
       started_at, finished_at, audience_members, audience_batches, created_by, created_at)
     SELECT $1, name, channel, 'Ưu đãi ' || name, '{"listId": null}'::jsonb, 'SENT',
            started_at, started_at + interval '2 hours', size, ceil(size / 1000.0)::int,
            'bench', started_at - interval '1 day'
       FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::int[])
         AS c(name, channel, started_at, size)
     RETURNING id`,
    [
      ws,
      plans.map((p) => p.name),
      plans.map((p) => p.channel),
      plans.map((p) => p.startedAt),
      plans.map((p) => p.size),
    ],
  );
  plans.forEach((p, i) => (p.id = ids[i].id as string));

  let written = 0;
  let messageEvents = 0;
  for (let i = 0; i < plans.length;) {
    const chunk: CampaignPlan[] = [];
    let rowsInChunk = 0;
    while (i < plans.length && (chunk.length === 0 || rowsInChunk + plans[i].size <= CHUNK)) {
      rowsInChunk += plans[i].size;
      chunk.push(plans[i++]);
    }
    await insertMessages(marketing, ws, customerIds, chunk);
    if (size.timelines) {
      messageEvents += await insertTimelines(
        marketing,
        chunk.map((p) => ({ workspaceId: ws, id: p.id, startedAt: p.startedAt })),
      );
    }
    written += rowsInChunk;
    console.log(`  messages ${written}/${size.messages}`);
  }
  console.log('  vacuum analyze');
  await marketing.query('VACUUM ANALYZE marketing_message');
  await marketing.query('VACUUM ANALYZE message_event');
  await marketing.query('ANALYZE campaign');
  const big = plans[plans.length - 1];
  return {
    customerIds,
    campaign: { id: big.id, startedAt: big.startedAt, members: big.size },
    campaigns: plans.length,
    messageEvents,
  };
}

/** The bulk campaigns spread over the past months, then the large one, started now. */
function planCampaigns(size: MarketingSeedSize): CampaignPlan[] {
  const members = Math.min(size.campaignMembers, size.customers, size.messages);
  const bulk = size.messages - members;
  const perCampaign = Math.min(size.customers, CAMPAIGN_SIZE);
  const count = Math.ceil(bulk / perCampaign);
  const now = new Date();
  const thisMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const plans: CampaignPlan[] = [];
  for (let j = 0; j < count; j++) {
    const back = 1 + (j % size.months);
    const month = new Date(thisMonth);
    month.setUTCMonth(month.getUTCMonth() - back);
    // The campaigns of a month a day and a bit apart, at 09:00 and later.
    const round = Math.floor(j / size.months);
    const startedAt = new Date(month.getTime() + (round % 27) * 86_400_000 + 9 * 3_600_000);
    startedAt.setUTCMinutes(round);
    plans.push({
      id: '',
      name: `Chiến dịch ${j + 1}`,
      channel: CHANNELS[j % CHANNELS.length],
      startedAt,
      size: Math.min(perCampaign, bulk - j * perCampaign),
      k: j,
      parts: null,
    });
  }
  plans.push({
    id: '',
    name: 'Chiến dịch lớn',
    channel: 'EMAIL',
    startedAt: new Date(Math.floor(Date.now() / 1000) * 1000 - 7_200_000),
    size: members,
    k: count,
    parts: 4,
  });
  return plans;
}

/**
 * A message's id in SQL: a UUID v7 of its campaign's start `startedAt` (uuidv7 in the
 * runtime: 48 bits of ms, version 7, variant 10), the rest from the md5 hex `h`.
 */
export const messageIdSql = (startedAt: string, h: string) =>
  `(lpad(to_hex((extract(epoch FROM ${startedAt}) * 1000)::bigint), 12, '0') || '7'
     || substr(${h}, 1, 3) || '8' || substr(${h}, 4, 15))::uuid`;

// Member i of campaign k is customer 1 + (i·7919 + k·104729) mod customers: distinct
// within a campaign (7919 is a prime not dividing the customer count, checked below),
// spread over everyone across campaigns. Its id is messageIdSql's.
async function insertMessages(
  db: Client,
  ws: string,
  customerIds: string[],
  chunk: CampaignPlan[],
): Promise<void> {
  if (customerIds.length % 7919 === 0) throw new Error('customer count divisible by 7919');
  await db.query(
    `WITH m AS (
       SELECT c.*, i, md5(c.id::text || ':' || i) AS h,
              1 + ((i::bigint * 7919 + c.k::bigint * 104729) % $3)::int AS n,
              (i * 37 + c.k) % 100 AS roll
         FROM unnest($4::uuid[], $5::text[], $6::text[], $7::timestamptz[], $8::int[], $9::int[], $10::int[])
           AS c(id, name, channel, started_at, size, k, parts)
        CROSS JOIN LATERAL generate_series(1, c.size) AS i),
     s AS (
       SELECT m.*, CASE WHEN roll < 5 THEN 'FAILED' WHEN roll < 20 THEN 'SENT'
                        WHEN roll < 70 THEN 'DELIVERED' WHEN roll < 90 THEN 'OPENED'
                        ELSE 'CLICKED' END AS status,
              started_at + (i % 3600) * interval '1 second' AS sent_at
         FROM m)
     INSERT INTO marketing_message (id, workspace_id, customer_id, campaign_id, campaign_name,
       channel, address, split_part, content_summary, status, status_at, failure_reason,
       send_state, provider_message_id, sent_at, created_at)
     SELECT ${messageIdSql('started_at', 'h')},
            $1, ($2::uuid[])[n], id, name, channel,
            CASE channel WHEN 'EMAIL' THEN 'khach' || n || '@example.vn'
                         WHEN 'SMS' THEN '+8490' || lpad(n::text, 7, '0')
                         WHEN 'ZNS' THEN '+8490' || lpad(n::text, 7, '0')
                         ELSE 'zalo-' || n END,
            CASE WHEN parts IS NULL THEN NULL ELSE 1 + i % parts END,
            'Ưu đãi ' || name, status, sent_at + interval '5 minutes',
            CASE WHEN status = 'FAILED' THEN 'UNDELIVERED: handset off' END,
            'DONE', 'pm-' || h, sent_at, started_at
       FROM s`,
    [
      ws,
      customerIds,
      customerIds.length,
      chunk.map((p) => p.id),
      chunk.map((p) => p.name),
      chunk.map((p) => p.channel),
      chunk.map((p) => p.startedAt),
      chunk.map((p) => p.size),
      chunk.map((p) => p.k),
      chunk.map((p) => p.parts),
    ],
  );
}

/**
 * A SENT event for each message of the campaigns, and one for its final status when
 * further (the campaigns may be of several workspaces); returns how many were written.
 */
export async function insertTimelines(
  db: Client,
  campaigns: readonly { workspaceId: string; id: string; startedAt: Date }[],
): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO message_event (workspace_id, message_id, message_created_at, status, at,
       detail, provider_event_id)
     SELECT m.workspace_id, m.id, m.created_at, e.status, e.at, e.detail, e.event
       FROM unnest($1::text[], $2::uuid[], $3::timestamptz[]) AS c(ws, id, started_at)
       JOIN marketing_message m
         ON m.workspace_id = c.ws AND m.campaign_id = c.id AND m.created_at = c.started_at
      CROSS JOIN LATERAL (VALUES ('SENT', m.sent_at, NULL, 'send'),
                                 (m.status, m.status_at, m.failure_reason, 'report')) AS e(status, at, detail, event)
      WHERE e.event = 'send' OR m.status <> 'SENT'`,
    [
      campaigns.map((c) => c.workspaceId),
      campaigns.map((c) => c.id),
      campaigns.map((c) => c.startedAt),
    ],
  );
  return rowCount ?? 0;
}
