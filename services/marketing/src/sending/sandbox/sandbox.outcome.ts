// What the sandbox provider makes of a message, decided once at acceptance from a hash
// of its idempotency key (so the same message always fares the same): a share
// (SANDBOX_FAILURE_RATE) fails delivery with a reason its channel's providers give;
// the rest are delivered, and of emails about a third are opened and a third of those
// clicked. An address the channel cannot take is refused at once, for good.
import { createHash } from 'node:crypto';
import type { MarketingChannel } from '../../messages/message.entity';

export type SandboxOutcome = 'DELIVERED' | 'OPENED' | 'CLICKED' | 'FAILED';

/** Delivery failures as each channel's providers word them. */
export const FAILURE_REASONS: Readonly<Record<MarketingChannel, readonly string[]>> = {
  SMS: ['UNDELIVERED: handset off', 'UNDELIVERED: invalid number', 'EXPIRED: not delivered in 24h'],
  EMAIL: [
    '550 5.1.1 mailbox unavailable',
    '552 5.2.2 mailbox full',
    '554 5.7.1 message rejected as spam',
  ],
  ZNS: ['-118 user not on Zalo', '-124 user blocked the OA', '-133 quota exceeded'],
  ZALO_OA: ['-213 user has not interacted with the OA in 7 days', '-124 user blocked the OA'],
  ZALO_BULK: ['-213 user has not interacted with the OA in 7 days', '-124 user blocked the OA'],
  FACEBOOK: ['(#10) outside the 24-hour messaging window', '(#551) user unavailable'],
};

/** Four numbers in [0, 1) from the key, each independent of the others. */
function draws(channel: string, key: string): number[] {
  const digest = createHash('sha256').update(`${channel}:${key}`).digest();
  return [0, 4, 8, 12].map((at) => digest.readUInt32BE(at) / 2 ** 32);
}

export function decideOutcome(
  channel: MarketingChannel,
  key: string,
  failureRate: number,
): { outcome: SandboxOutcome; reason: string | null; reportDelayMs: number } {
  const [fail, engage, pick, delay] = draws(channel, key);
  const reportDelayMs = 1_000 + Math.floor(delay * 9_000);
  if (fail < failureRate) {
    const reasons = FAILURE_REASONS[channel];
    return { outcome: 'FAILED', reason: reasons[Math.floor(pick * reasons.length)], reportDelayMs };
  }
  if (channel === 'EMAIL' && engage < 1 / 9)
    return { outcome: 'CLICKED', reason: null, reportDelayMs };
  if (channel === 'EMAIL' && engage < 1 / 3)
    return { outcome: 'OPENED', reason: null, reportDelayMs };
  return { outcome: 'DELIVERED', reason: null, reportDelayMs };
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** Why the channel cannot take this address at all; null when it can. */
export function refusedAddress(channel: MarketingChannel, address: string): string | null {
  if ((channel === 'SMS' || channel === 'ZNS') && !E164.test(address)) {
    return 'INVALID_NUMBER: not an E.164 phone number';
  }
  if (channel === 'EMAIL' && !/^[^@\s]+@[^@\s]+$/.test(address)) {
    return 'INVALID_ADDRESS: not an email address';
  }
  return null;
}
