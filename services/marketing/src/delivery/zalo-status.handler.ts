// followers.zalo.message-status: Zalo said a ZNS or OA message of the workspace was
// received (DELIVERED) or seen (OPENED). The message is ours when the tracking id is
// our message id (a UUID v7, as the sender gives it), else found by Zalo's message id;
// in the event's workspace only, on a Zalo channel only; otherwise ignored. A run of
// events is applied set-wise (delivery.apply.ts); a redelivery writes nothing (the
// timeline row's provider event id is `zalo:<status>:<Zalo message id>`).
import { isUuid, uuidv7Time } from '@customer-graph/runtime';
import type { BatchEventHandler, ZALO_MESSAGE_STATUS } from '@customer-graph/runtime';
import { applyReports } from './delivery.apply';
import type { DeliveryReport } from './delivery.wire';

export const ZALO_CHANNELS = ['ZNS', 'ZALO_OA', 'ZALO_BULK'] as const;

export const onZaloMessageStatus: BatchEventHandler<typeof ZALO_MESSAGE_STATUS> = {
  async batch(tx, events, logger) {
    const reports = events.map(({ workspaceId, payload }): DeliveryReport => {
      const tracking = payload.trackingId?.toLowerCase() ?? null;
      const createdAt = tracking && isUuid(tracking) ? uuidv7Time(tracking) : null;
      return {
        providerEventId: `zalo:${payload.status}:${payload.zaloMessageId}`,
        messageId: createdAt ? tracking : null,
        createdAt,
        providerMessageId: payload.zaloMessageId,
        status: payload.status === 'SEEN' ? 'OPENED' : 'DELIVERED',
        at: new Date(payload.at),
        detail: null,
        workspaceId,
      };
    });
    const result = await applyReports(tx, ZALO_CHANNELS, reports);
    logger.debug('zalo message statuses', { ...result });
  },
};
