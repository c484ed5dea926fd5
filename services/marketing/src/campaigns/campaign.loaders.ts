// Per-request loaders of campaigns: by id, and the stats of each campaign of a page in
// one grouped query (campaign.stats.ts).
import DataLoader from 'dataloader';
import type { RequestScope } from '@customer-graph/runtime';
import { alignOne, isUuid } from '@customer-graph/runtime';
import { CAMPAIGN_SELECT } from './campaign.entity';
import type { CampaignRow } from './campaign.entity';
import type { CampaignStatsRow } from './campaign.mappers';
import { loadCampaignStats } from './campaign.stats';

export interface CampaignLoaders {
  byId: DataLoader<string, CampaignRow | null>;
  stats: DataLoader<CampaignRow, CampaignStatsRow, string>;
}

declare module '../context' {
  interface Loaders {
    campaigns: CampaignLoaders;
  }
}

export function createCampaignLoaders({ db, workspaceId }: RequestScope): CampaignLoaders {
  return {
    byId: new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows: CampaignRow[] = valid.length
        ? await db.query(
            `SELECT ${CAMPAIGN_SELECT} FROM campaign c
              WHERE c.workspace_id = $1 AND c.id = ANY($2::uuid[])`,
            [workspaceId, valid],
          )
        : [];
      return alignOne(ids, rows, (row) => row.id);
    }),
    stats: new DataLoader((campaigns) => loadCampaignStats(db, workspaceId, campaigns), {
      cacheKeyFn: (campaign) => campaign.id,
    }),
  };
}
