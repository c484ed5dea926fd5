// Per-request loaders of the vouchers module: a customer's tab, one query per page of
// customers (findPagesPerParent), its count, and campaigns by id.
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { Connection, Page, RequestScope } from '@customer-graph/runtime';
import {
  alignOne,
  findPagesPerParent,
  isUuid,
  loaderFamily,
  newestFirst,
} from '@customer-graph/runtime';
import type { VoucherStatus } from '../generated/graphql';
import { VoucherCampaignEntity, VoucherEntity } from './voucher.entity';
import type { VoucherCampaignRow, VoucherRow } from './voucher.entity';

/** A customer's vouchers are listed newest issued first. */
export const VOUCHERS_NEWEST_FIRST = newestFirst('issued_at');

export interface VoucherLoaders {
  /** A page of a customer's vouchers in one status (or all); one query per page and status. */
  byCustomer: (args: {
    page: Page;
    status: VoucherStatus | null;
  }) => DataLoader<string, Connection<VoucherRow>>;
  /** How many vouchers of a customer are in one status (or all). */
  countByCustomer: (status: VoucherStatus | null) => DataLoader<string, number>;
  /** Campaigns by id, of the caller's workspace. */
  campaign: DataLoader<string, VoucherCampaignRow | null>;
}

declare module '../context' {
  interface Loaders {
    vouchers: VoucherLoaders;
  }
}

/** The status as SQL on `voucher t` (the campaign's window read from its row). */
export function statusSql(status: VoucherStatus | null): string {
  const campaignLive = `(SELECT c.valid_to > now() FROM voucher_campaign c
     WHERE c.workspace_id = t.workspace_id AND c.id = t.campaign_id)`;
  switch (status) {
    case null:
      return 'TRUE';
    case 'USED':
      return 't.used_order_id IS NOT NULL';
    case 'AVAILABLE':
      return `t.used_order_id IS NULL AND ${campaignLive}`;
    case 'EXPIRED':
      return `t.used_order_id IS NULL AND NOT ${campaignLive}`;
  }
}

export function createVoucherLoaders({ db, workspaceId }: RequestScope): VoucherLoaders {
  const vouchers = db.getRepository(VoucherEntity);
  const campaigns = db.getRepository(VoucherCampaignEntity);
  return {
    byCustomer: loaderFamily(({ page, status }, customerIds: readonly string[]) =>
      findPagesPerParent(vouchers, {
        parentColumn: 'customer_id',
        parentOf: (row) => row.customerId,
        sortKeyOf: (row) => row.issuedAt,
        workspaceId,
        parentIds: customerIds,
        page,
        filter: { sql: statusSql(status), params: {} },
      }),
    ),
    countByCustomer: loaderFamily(async (status: VoucherStatus | null, ids: readonly string[]) => {
      const rows: { customerId: string; n: number }[] = await db.query(
        `SELECT t.customer_id AS "customerId", count(*)::int AS n FROM voucher t
          WHERE t.workspace_id = $1 AND t.customer_id = ANY($2::uuid[]) AND ${statusSql(status)}
          GROUP BY t.customer_id`,
        [workspaceId, ids.filter(isUuid)],
      );
      const byId = new Map(rows.map((r) => [r.customerId, r.n]));
      return ids.map((id) => byId.get(id) ?? 0);
    }),
    campaign: new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length
        ? await campaigns.find({ where: { workspaceId, id: In(valid) } })
        : [];
      return alignOne(ids, rows, (row) => row.id);
    }),
  };
}
