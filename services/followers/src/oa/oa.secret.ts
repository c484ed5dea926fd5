// The OA's secret key is sealed at rest (runtime secret-box.ts): a dump of the
// followers database does not give anyone the means to forge the OA's webhooks. The
// associated data binds a sealed key to its workspace and OA.
import type { DataSource } from 'typeorm';
import { isSealed } from '@customer-graph/runtime';
import type { Logger, SecretBox } from '@customer-graph/runtime';

export const oaSecretContext = (workspaceId: string, oaId: string) =>
  `zalo-oa:${workspaceId}:${oaId}`;

/**
 * Seals OA secrets stored before sealing existed, once at boot; until then a
 * webhook reads such a key as it is. Returns how many were sealed.
 */
export async function sealLegacyOASecrets(
  db: DataSource,
  secrets: SecretBox,
  logger: Logger,
): Promise<number> {
  const rows: { workspace_id: string; oa_id: string; secret_key: string }[] = await db.query(
    `SELECT workspace_id, oa_id, secret_key FROM zalo_oa WHERE secret_key NOT LIKE 'v1.%'`,
  );
  for (const row of rows.filter((r) => !isSealed(r.secret_key))) {
    await db.query(
      'UPDATE zalo_oa SET secret_key = $3 WHERE workspace_id = $1 AND secret_key = $2',
      [
        row.workspace_id,
        row.secret_key,
        secrets.seal(row.secret_key, oaSecretContext(row.workspace_id, row.oa_id)),
      ],
    );
  }
  if (rows.length > 0) logger.info('sealed OA secrets kept in clear', { count: rows.length });
  return rows.length;
}

/** The OA's secret key in clear, from its stored (normally sealed) form. */
export function openOASecret(
  secrets: SecretBox,
  oa: { workspaceId: string; oaId: string; secretKey: string },
): string {
  return isSealed(oa.secretKey)
    ? secrets.open(oa.secretKey, oaSecretContext(oa.workspaceId, oa.oaId))
    : oa.secretKey;
}
