// A shop's partner key is sealed at rest exactly as a Zalo OA's secret is (runtime
// secret-box.ts, DATA_ENCRYPTION_KEY): a dump of the orders database does not give
// anyone the means to forge the shop's pushes. The associated data binds a sealed key
// to its workspace, source and shop, so a sealed value copied onto another row does
// not open there.
import type { SecretBox } from '@customer-graph/runtime';
import type { ShopConnectionRow } from './shop.entity';

export const shopKeyContext = (workspaceId: string, source: string, shopId: string) =>
  `shop:${workspaceId}:${source}:${shopId}`;

export function sealPartnerKey(
  secrets: SecretBox,
  connection: Pick<ShopConnectionRow, 'workspaceId' | 'source' | 'shopId'>,
  partnerKey: string,
): string {
  const { workspaceId, source, shopId } = connection;
  return secrets.seal(partnerKey, shopKeyContext(workspaceId, source, shopId));
}

/** The connection's partner key in clear (it was always stored sealed). */
export function openPartnerKey(secrets: SecretBox, connection: ShopConnectionRow): string {
  const { workspaceId, source, shopId } = connection;
  return secrets.open(connection.partnerKey, shopKeyContext(workspaceId, source, shopId));
}
