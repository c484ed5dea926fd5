// Issuing codes of a campaign to customers. One core, `issueCodes`, for every way
// recipients are chosen: by hand (the `issueVouchers` mutation, below) and later a
// saved list (its members are contacts' to resolve: a job that receives them calls
// `issueCodes` chunk by chunk, each chunk in its own transaction, with `codes` left
// out). The campaign row is locked for the transaction, so concurrent issues of one
// campaign queue and the limits (per customer, in total) hold: a chunk that would pass
// one is refused whole. Codes are unique per workspace without regard to case
// (voucher_code_uq on upper(code)).
import { randomInt } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { badInput, isUuid } from '@customer-graph/runtime';
import type { RequestAccess } from '@customer-graph/runtime';
import { VOUCHER_SELECT } from './voucher.entity';
import type { VoucherRow } from './voucher.entity';
import { lockCampaign } from './voucher.campaign';
import { VoucherErrorCode, voucherError } from './voucher.errors';

export const MAX_ISSUED_PER_CALL = 500;
/** A code given by hand: letters, digits and dashes. */
const CODE = /^[A-Za-z0-9][A-Za-z0-9-]{2,30}[A-Za-z0-9]$/;
/** Generated codes avoid 0/O and 1/I, which read alike. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A readable code, `XXXX-XXXX`: 32^8 ≈ 10^12 of them. */
export function generateCode(): string {
  const char = () => ALPHABET[randomInt(ALPHABET.length)];
  const four = () => Array.from({ length: 4 }, char).join('');
  return `${four()}-${four()}`;
}

/** A generated code not drawn before in this batch (one INSERT may not hold it twice). */
function drawFresh(drawn: Set<string>): string {
  let code = generateCode();
  while (drawn.has(code)) code = generateCode();
  drawn.add(code);
  return code;
}

export interface Recipient {
  customerId: string;
  /** The code to give; generated when left out. */
  code?: string;
}

/**
 * Issues one code per recipient in the caller's transaction; refuses the whole set
 * (BAD_USER_INPUT) when a limit would be passed or a given code is taken.
 */
export async function issueCodes(
  tx: EntityManager,
  workspaceId: string,
  campaignId: string,
  recipients: readonly Recipient[],
  note: string | null,
): Promise<VoucherRow[]> {
  const campaign = await lockCampaign(tx, workspaceId, campaignId, 'campaignId');
  if (campaign.endedAt || campaign.validTo.getTime() <= Date.now()) {
    throw voucherError(VoucherErrorCode.CAMPAIGN_OVER, 'campaignId', 'has ended or expired');
  }
  if (
    campaign.limitTotal !== null &&
    campaign.issuedCount + recipients.length > campaign.limitTotal
  ) {
    throw voucherError(
      VoucherErrorCode.LIMIT_REACHED,
      'customerIds',
      `the campaign issues at most ${campaign.limitTotal} codes; ${campaign.issuedCount} are issued, ${recipients.length} more asked`,
    );
  }
  if (campaign.limitPerCustomer !== null) {
    const wanted = new Map<string, number>();
    for (const r of recipients) wanted.set(r.customerId, (wanted.get(r.customerId) ?? 0) + 1);
    const held: { customerId: string; n: number }[] = await tx.query(
      `SELECT customer_id AS "customerId", count(*)::int AS n FROM voucher
        WHERE workspace_id = $1 AND campaign_id = $2 AND customer_id = ANY($3::uuid[])
        GROUP BY customer_id`,
      [workspaceId, campaignId, [...wanted.keys()]],
    );
    const has = new Map(held.map((h) => [h.customerId, h.n]));
    for (const [customerId, n] of wanted) {
      if ((has.get(customerId) ?? 0) + n > campaign.limitPerCustomer) {
        throw voucherError(
          VoucherErrorCode.LIMIT_REACHED,
          'customerIds',
          `customer ${customerId} may hold at most ${campaign.limitPerCustomer} codes of this campaign`,
        );
      }
    }
  }
  const issued: VoucherRow[] = [];
  const indexOf = new Map<string, number>();
  let pending = recipients.map((r, index) => ({ ...r, index }));
  // Generated codes that collide with a taken one are drawn again (rarely more than once).
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt === 5) throw new Error('could not draw free voucher codes in 5 attempts');
    const drawn = new Set(pending.flatMap((r) => (r.code ? [r.code.toUpperCase()] : [])));
    const rows = pending.map((r) => ({ ...r, code: r.code ?? drawFresh(drawn) }));
    for (const r of rows) indexOf.set(r.code.toUpperCase(), r.index);
    const written: (VoucherRow & { code: string })[] = await tx.query(
      `INSERT INTO voucher AS v (workspace_id, campaign_id, customer_id, code, note)
       SELECT $1, $2, x.customer_id, x.code, $5
         FROM unnest($3::uuid[], $4::text[]) AS x(customer_id, code)
       ON CONFLICT (workspace_id, upper(code)) DO NOTHING
       RETURNING ${VOUCHER_SELECT}`,
      [workspaceId, campaignId, rows.map((r) => r.customerId), rows.map((r) => r.code), note],
    );
    issued.push(...written);
    const done = new Set(written.map((w) => w.code.toUpperCase()));
    const missed = rows.filter((r) => !done.has(r.code.toUpperCase()));
    const taken = missed.find((r) => recipients[r.index].code !== undefined);
    if (taken) {
      throw voucherError(VoucherErrorCode.CODE_TAKEN, `codes[${taken.index}]`, taken.code);
    }
    pending = missed.map((r) => ({ customerId: r.customerId, index: r.index }));
  }
  await tx.query(
    `UPDATE voucher_campaign SET issued_count = issued_count + $3
      WHERE workspace_id = $1 AND id = $2`,
    [workspaceId, campaignId, issued.length],
  );
  // In the order of the recipients.
  return issued.sort(
    (a, b) => indexOf.get(a.code.toUpperCase())! - indexOf.get(b.code.toUpperCase())!,
  );
}

/** The `issueVouchers` mutation: customers chosen by hand, codes given or generated. */
export async function issueVouchers(
  db: DataSource,
  workspaceId: string,
  access: RequestAccess,
  args: {
    campaignId: string;
    customerIds: string[];
    codes?: string[] | null;
    note?: string | null;
  },
): Promise<VoucherRow[]> {
  const { customerIds, codes } = args;
  if (customerIds.length < 1 || customerIds.length > MAX_ISSUED_PER_CALL) {
    throw badInput('customerIds', `give 1 to ${MAX_ISSUED_PER_CALL} customers per call`);
  }
  // Asked together: the caller's access loader answers them in one batch.
  const visible = await Promise.all(
    customerIds.map((id) => (isUuid(id) ? access.seesCustomer(id) : false)),
  );
  const unseen = visible.indexOf(false);
  if (unseen >= 0) throw badInput(`customerIds[${unseen}]`, `no customer ${customerIds[unseen]}`);
  if (codes && codes.length !== customerIds.length) {
    throw badInput('codes', 'give one code per customer, in the order of customerIds');
  }
  const seen = new Set<string>();
  for (const [i, code] of (codes ?? []).entries()) {
    if (!CODE.test(code)) {
      throw badInput(`codes[${i}]`, 'a code is 4–32 letters, digits or dashes (not at either end)');
    }
    if (seen.has(code.toUpperCase())) {
      throw badInput(`codes[${i}]`, `the code ${code} is given twice (case does not count)`);
    }
    seen.add(code.toUpperCase());
  }
  const note = args.note?.trim() || null;
  if (note && note.length > 500) throw badInput('note', 'note is at most 500 characters');
  const recipients = customerIds.map((customerId, i) => ({ customerId, code: codes?.[i] }));
  return db.transaction((tx) => issueCodes(tx, workspaceId, args.campaignId, recipients, note));
}
