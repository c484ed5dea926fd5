// Sending: one paced sender per channel (sender.worker.ts) through the channel's
// provider — the embedded sandbox for every channel today (sandbox/) — and the
// sandbox's delivery reports, posted to our own webhooks. docs/marketing.md.
import type { DomainModule } from '@customer-graph/runtime';
import { DEFAULT_MARKETING_SENDING, MARKETING_CHANNELS } from '@customer-graph/runtime';
import { CampaignSending1765400000200 } from './migrations/1765400000200-CampaignSending';
import { SenderGate1765500000000 } from './migrations/1765500000000-SenderGate';
import { createSandboxProvider } from './sandbox/sandbox.provider';
import { startSandboxReporter } from './sandbox/sandbox.reports';
import type { ReportTargets } from './sandbox/sandbox.reports';
import { startChannelSender } from './sender.worker';

export const sendingModule: DomainModule = {
  name: 'sending',
  migrations: [CampaignSending1765400000200, SenderGate1765500000000],
  workers: (resources) => {
    const { db, logger } = resources;
    const config = resources.marketingSending ?? DEFAULT_MARKETING_SENDING;
    const targets: ReportTargets = {
      baseUrl: resources.publicWebhookBaseUrl,
      emailSecret: resources.emailWebhookSecret,
      smsSecret: resources.smsWebhookSecret,
      zalo: config.sandboxZalo,
    };
    const workers = [
      ...MARKETING_CHANNELS.map((channel) =>
        startChannelSender(
          db,
          createSandboxProvider(db, channel, { failureRate: config.sandboxFailureRate, targets }),
          logger,
          { rate: config.sendRates[channel] },
        ),
      ),
      startSandboxReporter(db, targets, logger),
    ];
    return { stop: async () => void (await Promise.all(workers.map((w) => w.stop()))) };
  },
};
