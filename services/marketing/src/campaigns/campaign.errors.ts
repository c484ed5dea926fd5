// The campaign domain's refusals, mapped onto the public error codes in this one place.
// Each names the argument or input field it is about (`extensions.field`).
import type { GraphQLError } from 'graphql';
import { PublicErrorCode, badInput, publicError } from '@customer-graph/runtime';
import type { CampaignStatus } from './campaign.entity';

export enum CampaignErrorCode {
  /** No such campaign, or another workspace's. */
  CAMPAIGN_NOT_FOUND = 'CAMPAIGN_NOT_FOUND',
  /** The campaign's status does not allow the change (e.g. updating a SENT one). */
  WRONG_STATUS = 'WRONG_STATUS',
}

export function campaignError(
  code: CampaignErrorCode,
  field: string,
  detail: { id: string; status?: CampaignStatus; action?: string },
): GraphQLError {
  switch (code) {
    case CampaignErrorCode.CAMPAIGN_NOT_FOUND:
      return publicError(PublicErrorCode.NOT_FOUND, `no campaign ${detail.id}`, { field });
    case CampaignErrorCode.WRONG_STATUS:
      return badInput(
        field,
        `campaign ${detail.id} is ${detail.status}: it cannot be ${detail.action}`,
      );
  }
}
