// The workspace's Zalo OA connection (pending until a verified event, then connected).
import type { DomainModule } from '@customer-graph/runtime';
import { ZaloOAEntity } from './oa.entity';
import { oaAccess, oaResolvers } from './oa.resolvers';
import { sealLegacyOASecrets } from './oa.secret';

export const oaModule: DomainModule = {
  name: 'oa',
  resolvers: [oaResolvers],
  access: oaAccess,
  entities: [ZaloOAEntity],
  workers: ({ db, logger, secrets }) => {
    // Not a worker: one pass at boot; stopping waits for it.
    const sealing = sealLegacyOASecrets(db, secrets, logger).catch((error: Error) =>
      logger.error('could not seal OA secrets kept in clear', { error: error.message }),
    );
    return { stop: async () => void (await sealing) };
  },
};
