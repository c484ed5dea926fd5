// The voucher domain's refusals, mapped onto the public error codes in this one place.
// Each names the argument or input field it is about (`extensions.field`).
import type { GraphQLError } from 'graphql';
import { PublicErrorCode, badInput, publicError } from '@customer-graph/runtime';

export enum VoucherErrorCode {
  /** No such campaign, or another workspace's. */
  CAMPAIGN_NOT_FOUND = 'CAMPAIGN_NOT_FOUND',
  /** The campaign has ended or run out of time: it cannot change or issue codes. */
  CAMPAIGN_OVER = 'CAMPAIGN_OVER',
  /** Issuing would pass the campaign's limit per customer or in total. */
  LIMIT_REACHED = 'LIMIT_REACHED',
  /** A code given is taken in the workspace (without regard to case). */
  CODE_TAKEN = 'CODE_TAKEN',
}

export function voucherError(code: VoucherErrorCode, field: string, detail: string): GraphQLError {
  switch (code) {
    case VoucherErrorCode.CAMPAIGN_NOT_FOUND:
      return publicError(PublicErrorCode.NOT_FOUND, `no voucher campaign ${detail}`, { field });
    case VoucherErrorCode.CAMPAIGN_OVER:
      return badInput(field, `the campaign ${detail}`);
    case VoucherErrorCode.LIMIT_REACHED:
      return badInput(field, detail);
    case VoucherErrorCode.CODE_TAKEN:
      return badInput(field, `the code ${detail} is taken in this workspace`);
  }
}
