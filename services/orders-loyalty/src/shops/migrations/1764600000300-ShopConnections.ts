import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shop connections and Shopee's order-status pushes (issue 11).
 *
 * - shop_connection: a workspace's claim on a shop, with the shop's partner key
 *   (sealed, runtime secret-box.ts). Like a Zalo OA claim, it is PENDING until a push
 *   signed with its key arrives; several workspaces may claim one shop, at most one
 *   may have it CONNECTED. The webhook finds the claims on a shop id whatever the
 *   workspace, hence the one index not led by workspace_id.
 * - shopee_webhook_seen: deliveries already applied (shop + SHA-256 of the body), kept
 *   while their timestamp could still be accepted, then pruned.
 * - customer_order.details_pending: a stub, made by a push for an order whose details
 *   have not been upserted yet. A stub is never attached to a customer (checked), so
 *   it counts in no customer's figures until its details arrive.
 */
export class ShopConnections1764600000300 implements MigrationInterface {
  name = 'ShopConnections1764600000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE shop_connection (
        workspace_id text NOT NULL REFERENCES workspace (id),
        source text NOT NULL CONSTRAINT shop_connection_source_ck CHECK (source IN ('SHOPEE')),
        shop_id text NOT NULL,
        partner_key text NOT NULL,
        status text NOT NULL DEFAULT 'PENDING'
          CONSTRAINT shop_connection_status_ck CHECK (status IN ('PENDING', 'CONNECTED')),
        claimed_at timestamptz(3) NOT NULL DEFAULT now(),
        connected_at timestamptz(3),
        CONSTRAINT shop_connection_pk PRIMARY KEY (workspace_id, source, shop_id)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX shop_connection_connected_uq
         ON shop_connection (source, shop_id) WHERE status = 'CONNECTED'`,
    );
    await q.query('CREATE INDEX shop_connection_shop_idx ON shop_connection (source, shop_id)');
    await q.query(`
      CREATE TABLE shopee_webhook_seen (
        workspace_id text NOT NULL,
        shop_id text NOT NULL,
        body_sha256 bytea NOT NULL,
        received_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT shopee_webhook_seen_pk PRIMARY KEY (workspace_id, shop_id, body_sha256)
      )`);
    await q.query(
      'CREATE INDEX shopee_webhook_seen_received_idx ON shopee_webhook_seen (received_at)',
    );
    await q.query(`
      ALTER TABLE customer_order
        ADD COLUMN details_pending boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT customer_order_stub_unattached_ck
          CHECK (NOT details_pending OR customer_id IS NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM customer_order WHERE details_pending');
    await q.query(`
      ALTER TABLE customer_order
        DROP CONSTRAINT customer_order_stub_unattached_ck,
        DROP COLUMN details_pending`);
    await q.query('DROP TABLE shopee_webhook_seen');
    await q.query('DROP TABLE shop_connection');
  }
}
