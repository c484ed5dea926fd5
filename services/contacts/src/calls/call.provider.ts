// The workspace's phone-system connection: `connectCallProvider` (the admin chooses
// the secret and enters it in the phone system too, as connectShop's partner key),
// `disconnectCallProvider`, `Query.callProvider`. One per workspace; its id is what
// the phone system sends as `connection_id`. The secret is sealed at rest exactly as
// a Zalo OA's secret and a shop's partner key are (runtime secret-box.ts), bound to
// its workspace and connection id, and never returned.
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { badInput } from '@customer-graph/runtime';
import type { SecretBox } from '@customer-graph/runtime';
import type { CallProviderRow } from './call.entity';
import { providerDirectory } from './call.directory';

export const providerSecretContext = (workspaceId: string, connectionId: string) =>
  `call-provider:${workspaceId}:${connectionId}`;

/** The connection's secret in clear (it is always stored sealed). */
export function openProviderSecret(secrets: SecretBox, row: CallProviderRow): string {
  return secrets.open(row.secret, providerSecretContext(row.workspaceId, row.id));
}

/** What a client may read of a connection: everything but the secret. */
const PUBLIC = `id AS "connectionId", provider, connected_at AS "connectedAt",
  secret_set_at AS "secretSetAt"`;

export interface CallProviderView {
  connectionId: string;
  provider: string;
  connectedAt: Date;
  secretSetAt: Date;
}

export async function callProvider(
  db: DataSource,
  workspaceId: string,
): Promise<CallProviderView | null> {
  const rows = await db.query(`SELECT ${PUBLIC} FROM call_provider WHERE workspace_id = $1`, [
    workspaceId,
  ]);
  return rows[0] ?? null;
}

export async function connectCallProvider(
  db: DataSource,
  secrets: SecretBox,
  workspaceId: string,
  provider: string,
  secret: string,
): Promise<CallProviderView> {
  const name = provider.normalize('NFC').trim();
  if (name.length < 1 || name.length > 64) {
    throw badInput('provider', 'provider must be 1 to 64 characters');
  }
  if (secret.length < 16 || secret.length > 256 || secret.trim() !== secret) {
    throw badInput('secret', 'secret must be 16 to 256 characters, without spaces around');
  }
  // The id is kept when the workspace connects again (the phone system keeps sending
  // it); a new one is drawn otherwise. Two first connections racing: the second's
  // insert meets the first's row under another id, writes nothing, and goes again.
  let view: CallProviderView | undefined;
  for (let attempt = 0; !view; attempt++) {
    if (attempt === 3) throw new Error(`${workspaceId}: the call provider kept changing`);
    view = await db.transaction(async (tx) => {
      const [existing]: { id: string }[] = await tx.query(
        'SELECT id FROM call_provider WHERE workspace_id = $1 FOR UPDATE',
        [workspaceId],
      );
      const id = existing?.id ?? randomUUID();
      const sealed = secrets.seal(secret, providerSecretContext(workspaceId, id));
      const [row]: CallProviderView[] = await tx.query(
        `INSERT INTO call_provider (id, workspace_id, provider, secret) VALUES ($1, $2, $3, $4)
         ON CONFLICT (workspace_id) DO UPDATE SET
           provider = EXCLUDED.provider, secret = EXCLUDED.secret, secret_set_at = now()
         WHERE call_provider.id = EXCLUDED.id
         RETURNING ${PUBLIC}`,
        [id, workspaceId, name, sealed],
      );
      return row;
    });
  }
  providerDirectory(db).forget();
  return view;
}

export async function disconnectCallProvider(db: DataSource, workspaceId: string) {
  const [, count] = (await db.query('DELETE FROM call_provider WHERE workspace_id = $1', [
    workspaceId,
  ])) as [unknown, number];
  providerDirectory(db).forget();
  return count > 0;
}
