import type { DataSource, EntityManager } from 'typeorm';
import { DEMO_CUSTOMERS, demoRowId } from '@customer-graph/runtime';
import type { DeliveryStatus, MarketingChannel } from './message.entity';
import { ensureMonths } from './message.partitions';

const SENDS: [MarketingChannel, string, string, DeliveryStatus][] = [
  ['ZNS', 'Tri ân khách hàng tháng 3', 'Mã giảm 10% cho đơn tiếp theo', 'DELIVERED'],
  ['ZALO_OA', 'Ra mắt bộ sưu tập hè', 'Giới thiệu sản phẩm mới', 'OPENED'],
  ['SMS', 'Nhắc lịch bảo hành', 'Sản phẩm của bạn sắp hết hạn bảo hành', 'FAILED'],
];

/** What each demo status's timeline went through, minutes after sending. */
const TIMELINES: Record<string, [string, number, string | null][]> = {
  DELIVERED: [
    ['SENT', 0, null],
    ['DELIVERED', 1, null],
  ],
  OPENED: [
    ['SENT', 0, null],
    ['DELIVERED', 1, null],
    ['OPENED', 95, null],
  ],
  FAILED: [
    ['SENT', 0, null],
    ['FAILED', 2, 'Số điện thoại không liên lạc được'],
  ],
};

async function insertTimeline(
  tx: EntityManager,
  workspaceId: string,
  messageId: string,
  status: DeliveryStatus,
  sentAtMs: number,
): Promise<void> {
  for (const [event, minutes, detail] of TIMELINES[status] ?? []) {
    await tx.query(
      `INSERT INTO message_event (workspace_id, message_id, message_created_at, status, at,
         detail, provider_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [
        workspaceId,
        messageId,
        new Date(sentAtMs),
        event,
        new Date(sentAtMs + minutes * 60_000),
        detail,
        `demo-${event.toLowerCase()}`,
      ],
    );
  }
}

/** Three messages for each demo customer; fixed ids make a second run a no-op. */
export async function seedDemoMessages(db: DataSource, workspaceId: string): Promise<void> {
  await ensureMonths(db, new Date(Date.UTC(2026, 2, 1)), new Date(Date.UTC(2026, 2, 1)));
  await db.transaction(async (tx) => {
    for (const [c, customer] of DEMO_CUSTOMERS.entries()) {
      for (const [k, [channel, campaign, summary, status]] of SENDS.entries()) {
        const n = c * SENDS.length + k + 1;
        await tx.query(
          `INSERT INTO marketing_message
             (id, workspace_id, customer_id, channel, campaign_name, content_summary, status,
              failure_reason, status_at, sent_at, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9)
           ON CONFLICT (id, created_at) DO NOTHING`,
          [
            demoRowId(2, n),
            workspaceId,
            customer.id,
            channel,
            campaign,
            summary,
            status,
            status === 'FAILED' ? 'Số điện thoại không liên lạc được' : null,
            new Date(Date.UTC(2026, 2, 1 + k, 8)),
          ],
        );
        await insertTimeline(tx, workspaceId, demoRowId(2, n), status, Date.UTC(2026, 2, 1 + k, 8));
      }
    }
  });
}
