// For tests of event handlers: a module's handlers applied to events one at a time,
// each in a transaction of its own, as a consumer that receives them in that order
// would (the inbox and Kafka left out).
import type { DataSource } from 'typeorm';
import type { AnyEvent } from '../events/envelope';
import { createLogger } from '../logger';
import type { DomainModule } from '../subgraph.types';

export async function applyEvents(
  db: DataSource,
  module: Pick<DomainModule, 'consumes'>,
  ...events: AnyEvent[]
): Promise<void> {
  const logger = createLogger('error');
  for (const event of events) {
    const handler = module.consumes?.[event.type];
    if (!handler) throw new Error(`the module does not consume ${event.type}`);
    await db.transaction(async (tx) => {
      if ('batch' in handler) await handler.batch(tx, [event as never], logger);
      else await handler(tx, event as never, logger);
    });
  }
}
