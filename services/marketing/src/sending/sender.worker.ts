// The sender: one loop per channel, each paced at its rate (MARKETING_SEND_RATE_<CHANNEL>,
// config.ts; 0 pauses the channel). A pass takes a batch (sender.store.ts: committed
// SENDING first), waits for its turn (sender.pace.ts), calls the provider, stores the
// answers. A provider that throws leaves its batch SENDING: sent again, same ids, once
// the lease has passed. When nothing is due the loop sleeps (or is woken).
import type { DataSource } from 'typeorm';
import { createWaker } from '@customer-graph/runtime';
import type { Logger, Worker } from '@customer-graph/runtime';
import type { ChannelProvider } from './provider.port';
import { createPacer } from './sender.pace';
import { giveUpUnanswered, hasCampaignSending, storeOutcomes, takeMessages } from './sender.store';

/** The most messages handed to a provider in one call. */
export const MAX_BATCH = 100;
/** How long a message may stay SENDING before it is taken again (a provider call is far shorter). */
export const DEFAULT_SEND_LEASE_MS = 60_000;
export const IDLE_POLL_MS = 1_000;

export interface SenderOptions {
  /** Messages per second; 0: the channel is paused (no loop runs). */
  rate: number;
  leaseMs?: number;
  idlePollMs?: number;
}

export function startChannelSender(
  db: DataSource,
  provider: ChannelProvider,
  logger: Logger,
  options: SenderOptions,
): Worker {
  if (options.rate <= 0) return { stop: async () => {} };
  const leaseMs = options.leaseMs ?? DEFAULT_SEND_LEASE_MS;
  const batchSize = Math.min(MAX_BATCH, options.rate);
  const pacer = createPacer(options.rate);
  const waker = createWaker();
  let stopped = false;

  async function pass(): Promise<number> {
    if (!(await hasCampaignSending(db, provider.channel))) return 0;
    await giveUpUnanswered(db, provider.channel, leaseMs);
    const taken = await takeMessages(db, provider.channel, batchSize, leaseMs);
    if (taken.length === 0) return 0;
    // Until the clock says so: a timer may fire a millisecond before Date.now() has
    // moved on by its delay, and a batch sent at 999 ms made 2 × rate in one second.
    for (let wait = pacer.delayFor(taken.length, Date.now()); wait > 0;) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = pacer.delayFor(taken.length, Date.now());
    }
    const calledAt = new Date();
    pacer.sent(taken.length, calledAt.getTime());
    // A throw here leaves the batch SENDING (no answer is no answer): the lease retries.
    const outcomes = await provider.send(
      taken.map(({ createdAt: _c, campaignId: _k, attempts: _a, ...m }) => m),
    );
    await storeOutcomes(db, taken, outcomes, calledAt);
    return taken.length;
  }

  const loop = async () => {
    while (!stopped) {
      let sent = 0;
      try {
        sent = await pass();
      } catch (error) {
        logger.warn('marketing send pass failed; will retry', {
          channel: provider.channel,
          error: (error as Error).message,
        });
      }
      if (sent === 0 && !stopped) await waker.sleep(options.idlePollMs ?? IDLE_POLL_MS);
    }
  };
  const running = loop();
  return {
    stop: async () => {
      stopped = true;
      waker.wake();
      await running;
    },
  };
}
