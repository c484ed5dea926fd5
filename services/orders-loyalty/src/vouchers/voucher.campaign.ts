// Voucher campaigns: create, replace, end (workspace.edit). Every value is checked
// before anything is written; a bad one is BAD_USER_INPUT naming its input field.
import type { DataSource } from 'typeorm';
import { AuditAction, badInput, isUuid, recordAudit } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import type { VoucherCampaignInput } from '../generated/graphql';
import { CAMPAIGN_SELECT } from './voucher.entity';
import type { VoucherCampaignRow } from './voucher.entity';
import { VoucherErrorCode, voucherError } from './voucher.errors';

/** The largest amount a campaign holds (đồng): far above any order, within a JS integer. */
const MAX_VND = 1_000_000_000_000;

interface CheckedCampaign {
  name: string;
  valueType: string;
  value: number;
  minimumOrder: number;
  maximumDiscount: number | null;
  validFrom: Date;
  validTo: Date;
  limitPerCustomer: number | null;
  limitTotal: number | null;
}

function wholeVnd(value: number | string | null | undefined, field: string, min: number) {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > MAX_VND) {
    throw badInput(field, `${field} must be a whole number of đồng from ${min} to ${MAX_VND}`);
  }
  return n;
}

function instant(value: Date | string, field: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw badInput(field, `${field} must be an ISO 8601 instant`);
  return at;
}

function limit(value: number | null | undefined, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw badInput(field, `${field} must be at least 1 (leave it out for no limit)`);
  }
  return value;
}

export function checkCampaign(input: VoucherCampaignInput): CheckedCampaign {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 200) {
    throw badInput('input.name', 'input.name must be 1 to 200 characters');
  }
  if (input.valueType === 'PERCENT' && !(input.value >= 1 && input.value <= 100)) {
    throw badInput('input.value', 'a PERCENT campaign’s value is a whole percentage 1–100');
  }
  const value = wholeVnd(input.value, 'input.value', 1)!;
  const validFrom = instant(input.validFrom, 'input.validFrom');
  const validTo = instant(input.validTo, 'input.validTo');
  if (validTo <= validFrom)
    throw badInput('input.validTo', 'input.validTo must be after validFrom');
  const limitPerCustomer = limit(input.limitPerCustomer, 'input.limitPerCustomer');
  const limitTotal = limit(input.limitTotal, 'input.limitTotal');
  if (limitPerCustomer !== null && limitTotal !== null && limitPerCustomer > limitTotal) {
    throw badInput('input.limitPerCustomer', 'input.limitPerCustomer is above input.limitTotal');
  }
  return {
    name,
    valueType: input.valueType,
    value,
    minimumOrder: wholeVnd(input.minimumOrder ?? 0, 'input.minimumOrder', 0)!,
    maximumDiscount: wholeVnd(input.maximumDiscount, 'input.maximumDiscount', 1),
    validFrom,
    validTo,
    limitPerCustomer,
    limitTotal,
  };
}

const PARAMS = (c: CheckedCampaign) => [
  c.name,
  c.valueType,
  c.value,
  c.minimumOrder,
  c.maximumDiscount,
  c.validFrom,
  c.validTo,
  c.limitPerCustomer,
  c.limitTotal,
];

export async function createCampaign(
  db: DataSource,
  identity: Identity,
  input: VoucherCampaignInput,
): Promise<VoucherCampaignRow> {
  const c = checkCampaign(input);
  return db.transaction(async (tx) => {
    const [row]: VoucherCampaignRow[] = await tx.query(
      `INSERT INTO voucher_campaign AS c (workspace_id, name, value_type, value, minimum_order,
         maximum_discount, valid_from, valid_to, limit_per_customer, limit_total)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${CAMPAIGN_SELECT}`,
      [identity.workspaceId, ...PARAMS(c)],
    );
    await recordAudit(tx, identity, {
      action: AuditAction.VOUCHER_CAMPAIGN_CREATED,
      targetType: 'VoucherCampaign',
      targetIds: [row.id],
      detail: { valueType: row.valueType },
    });
    return row;
  });
}

/** The campaign, locked for the transaction; NOT_FOUND (naming `field`) when none. */
export async function lockCampaign(
  tx: { query: DataSource['query'] },
  workspaceId: string,
  id: string,
  field: string,
): Promise<VoucherCampaignRow> {
  const rows: VoucherCampaignRow[] = isUuid(id)
    ? await tx.query(
        `SELECT ${CAMPAIGN_SELECT} FROM voucher_campaign c
          WHERE c.workspace_id = $1 AND c.id = $2 FOR UPDATE`,
        [workspaceId, id],
      )
    : [];
  if (rows.length === 0) throw voucherError(VoucherErrorCode.CAMPAIGN_NOT_FOUND, field, id);
  return rows[0];
}

export async function updateCampaign(
  db: DataSource,
  workspaceId: string,
  id: string,
  input: VoucherCampaignInput,
): Promise<VoucherCampaignRow> {
  const c = checkCampaign(input);
  return db.transaction(async (tx) => {
    const held = await lockCampaign(tx, workspaceId, id, 'id');
    if (held.endedAt) throw voucherError(VoucherErrorCode.CAMPAIGN_OVER, 'id', 'has ended');
    if (c.limitTotal !== null && c.limitTotal < held.issuedCount) {
      throw badInput(
        'input.limitTotal',
        `input.limitTotal is below the ${held.issuedCount} codes already issued`,
      );
    }
    if (c.limitPerCustomer !== null) {
      const [{ most }]: { most: number }[] = await tx.query(
        `SELECT coalesce(max(n), 0)::int AS most FROM (SELECT count(*) AS n FROM voucher
          WHERE workspace_id = $1 AND campaign_id = $2 GROUP BY customer_id) per`,
        [workspaceId, id],
      );
      if (c.limitPerCustomer < most) {
        throw badInput(
          'input.limitPerCustomer',
          `input.limitPerCustomer is below the ${most} codes a customer already has`,
        );
      }
    }
    // An UPDATE answers [rows, count].
    const [[row]]: [VoucherCampaignRow[], number] = await tx.query(
      `UPDATE voucher_campaign c SET name = $3, value_type = $4, value = $5, minimum_order = $6,
         maximum_discount = $7, valid_from = $8, valid_to = $9, limit_per_customer = $10,
         limit_total = $11, updated_at = now()
        WHERE c.workspace_id = $1 AND c.id = $2 RETURNING ${CAMPAIGN_SELECT}`,
      [workspaceId, id, ...PARAMS(c)],
    );
    return row;
  });
}

/** Ends the campaign now: unused codes expire, none can be issued. Idempotent. */
export async function endCampaign(
  db: DataSource,
  workspaceId: string,
  id: string,
): Promise<VoucherCampaignRow> {
  return db.transaction(async (tx) => {
    await lockCampaign(tx, workspaceId, id, 'id');
    // An UPDATE answers [rows, count].
    const [[row]]: [VoucherCampaignRow[], number] = await tx.query(
      `UPDATE voucher_campaign c SET ended_at = coalesce(ended_at, now()),
         valid_to = CASE WHEN ended_at IS NULL THEN least(valid_to, now()) ELSE valid_to END,
         updated_at = now()
        WHERE c.workspace_id = $1 AND c.id = $2 RETURNING ${CAMPAIGN_SELECT}`,
      [workspaceId, id],
    );
    return row;
  });
}

/** 1250000 → `1.250.000 ₫` (Vietnamese grouping). */
const vnd = (n: number | string) => `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;

/** The value in words, as the seed's voucher tab shows it ("Chi tiết"). */
export function campaignDetail(c: VoucherCampaignRow): string {
  const parts = [c.valueType === 'PERCENT' ? `Giảm ${c.value}%` : `Giảm ${vnd(c.value)}`];
  if (c.maximumDiscount !== null) parts.push(`tối đa ${vnd(c.maximumDiscount)}`);
  if (Number(c.minimumOrder) > 0) parts.push(`đơn từ ${vnd(c.minimumOrder)}`);
  return parts.join(', ');
}
