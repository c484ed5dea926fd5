// The port every channel provider is reached through (the sandbox, and later real SMS,
// email, Zalo and Facebook providers). The sender hands a provider a batch of messages
// and stores its answer per message.
//
// `messageId` is our message's id and the provider's idempotency key (or tracking id):
// a message the sender is not sure was accepted (the process died mid-call) is sent
// again with the same id, and a provider must answer the first acceptance, not send it
// twice. A provider that throws has given no answer: the messages stay SENDING and are
// sent again later, with the same ids.
import type { MarketingChannel } from '../messages/message.entity';

export interface OutgoingMessage {
  /** Our message id: the idempotency key / tracking id. */
  messageId: string;
  /** The workspace whose campaign sends it (a provider account is per workspace). */
  workspaceId: string;
  /** Phone (E.164) for SMS and ZNS, email for EMAIL, the platform's user id otherwise. */
  address: string;
  contentSummary: string | null;
  templateId: string | null;
  voucherCode: string | null;
}

export type SendOutcome =
  | { messageId: string; providerMessageId: string }
  | {
      messageId: string;
      /** permanent: never retried (FAILED); else retried up to MAX_SEND_ATTEMPTS. */
      error: { reason: string; permanent: boolean };
    };

export interface ChannelProvider {
  channel: MarketingChannel;
  /** One outcome per message given, in any order. */
  send(batch: OutgoingMessage[]): Promise<SendOutcome[]>;
}
