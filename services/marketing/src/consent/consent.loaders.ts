import DataLoader from 'dataloader';
import type { RequestScope } from '@customer-graph/runtime';
import { alignMany, isUuid } from '@customer-graph/runtime';
import type { ChannelConsentRow } from './consent.entity';
import { CONSENT_COLUMNS } from './consent.entity';

export interface ConsentLoaders {
  /** Each customer's consent rows, by channel name: one query per page of customers. */
  byCustomer: DataLoader<string, ChannelConsentRow[]>;
}

declare module '../context' {
  interface Loaders {
    consent: ConsentLoaders;
  }
}

export function createConsentLoaders({ db, workspaceId }: RequestScope): ConsentLoaders {
  return {
    byCustomer: new DataLoader(async (ids) => {
      const rows: ChannelConsentRow[] = await db.query(
        `SELECT ${CONSENT_COLUMNS} FROM channel_consent c
          WHERE c.workspace_id = $1 AND c.customer_id = ANY($2::uuid[])
          ORDER BY c.channel`,
        [workspaceId, ids.filter(isUuid)],
      );
      return alignMany(ids, rows, (row) => row.customerId);
    }),
  };
}
