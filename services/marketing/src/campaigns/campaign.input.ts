// Checks a CampaignInput before anything is written; a bad value is BAD_USER_INPUT
// naming its input field. What only contacts can judge (whether the list exists, whether
// the filter is valid) is judged when the campaign starts: a refusal makes it FAILED.
import { badInput, isUuid } from '@customer-graph/runtime';
import type { CampaignInput } from '../generated/graphql';
import type { MarketingChannel } from '../messages/message.entity';
import type { CampaignAudienceRow } from './campaign.entity';

export const MAX_FILTER_CHARS = 20_000;

export interface CheckedCampaign {
  name: string;
  channel: MarketingChannel;
  contentSummary: string | null;
  templateId: string | null;
  voucherCampaignId: string | null;
  audience: CampaignAudienceRow;
}

function optionalText(value: string | null | undefined, field: string, max: number) {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text.length > max) throw badInput(field, `${field} must be at most ${max} characters`);
  return text === '' ? null : text;
}

function wholeIn(value: number | null | undefined, field: string, min: number, max: number) {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(field, `${field} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function checkAudience(input: CampaignInput['audience']): CampaignAudienceRow {
  const listId = input.listId ?? null;
  const filter = input.filter ?? null;
  if ((listId === null) === (filter === null)) {
    throw badInput('input.audience', 'input.audience needs exactly one of listId and filter');
  }
  if (listId !== null && !isUuid(listId)) {
    throw badInput('input.audience.listId', 'input.audience.listId is not a list id');
  }
  if (filter !== null) {
    if (typeof filter !== 'object' || Array.isArray(filter)) {
      throw badInput(
        'input.audience.filter',
        'input.audience.filter must be a CustomerFilter object',
      );
    }
    if (JSON.stringify(filter).length > MAX_FILTER_CHARS) {
      throw badInput(
        'input.audience.filter',
        `input.audience.filter must be at most ${MAX_FILTER_CHARS} characters as JSON`,
      );
    }
  }
  const splitParts = wholeIn(input.splitParts, 'input.audience.splitParts', 2, 100);
  const part = wholeIn(input.part, 'input.audience.part', 1, 100);
  if (part !== null && (splitParts === null || part > splitParts)) {
    throw badInput(
      'input.audience.part',
      'input.audience.part must be one of the splitParts groups (1 … splitParts)',
    );
  }
  return { listId, filter: filter as Record<string, unknown> | null, splitParts, part };
}

export function checkCampaign(input: CampaignInput): CheckedCampaign {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 200) {
    throw badInput('input.name', 'input.name must be 1 to 200 characters');
  }
  const voucherCampaignId = input.voucherCampaignId ?? null;
  if (voucherCampaignId !== null && !isUuid(voucherCampaignId)) {
    throw badInput(
      'input.voucherCampaignId',
      'input.voucherCampaignId is not a voucher campaign id',
    );
  }
  return {
    name,
    channel: input.channel,
    contentSummary: optionalText(input.contentSummary, 'input.contentSummary', 1000),
    templateId: optionalText(input.templateId, 'input.templateId', 200),
    voucherCampaignId,
    audience: checkAudience(input.audience),
  };
}
