import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Calls (issue 12, "Liên hệ khách hàng").
 *
 * - customer_call: one row per call, unique by (workspace, the phone system's call
 *   id), always of a customer (an unknown number makes one). Deleting a customer
 *   deletes its calls, as its notes; a merge moves them first (merge/merge.participants.ts).
 * - customer_call_event: the webhook's events, one per delivery (keyed by the body's
 *   SHA-256: a delivery seen before is not applied again). An event-built call is
 *   computed from all its events (call.events.ts), so their order does not matter.
 *   The call's row is written in the transaction that records the event, hence the
 *   foreign key checked at commit; the events go with their call.
 * - call_provider: the workspace's phone-system connection, with its secret sealed
 *   (runtime secret-box.ts). The webhook finds a connection by its id alone (the
 *   primary key): the id is what names the workspace.
 */
export class Calls1764800000300 implements MigrationInterface {
  name = 'Calls1764800000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer_call (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        customer_id uuid NOT NULL,
        provider_call_id text NOT NULL,
        hotline text NOT NULL,
        customer_number text NOT NULL,
        customer_e164 text NOT NULL,
        direction text NOT NULL
          CONSTRAINT customer_call_direction_ck CHECK (direction IN ('INBOUND', 'OUTBOUND')),
        result text CONSTRAINT customer_call_result_ck
          CHECK (result IN ('ANSWERED', 'MISSED', 'BUSY', 'FAILED', 'VOICEMAIL')),
        started_at timestamptz(3) NOT NULL,
        answered_at timestamptz(3),
        ended_at timestamptz(3),
        ring_seconds int CONSTRAINT customer_call_ring_ck CHECK (ring_seconds >= 0),
        talk_seconds int CONSTRAINT customer_call_talk_ck CHECK (talk_seconds >= 0),
        staff text,
        note text,
        recording_url text,
        recorded boolean NOT NULL DEFAULT false,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT customer_call_customer_fk FOREIGN KEY (workspace_id, customer_id)
          REFERENCES customer (workspace_id, id) ON DELETE CASCADE,
        CONSTRAINT customer_call_provider_uq UNIQUE (workspace_id, provider_call_id)
      )`);
    const indexes = [
      // The tab: a customer's calls, newest first.
      'customer_call_customer_idx ON customer_call (workspace_id, customer_id, started_at DESC, id DESC)',
      // Query.calls and callStats by day.
      'customer_call_started_idx ON customer_call (workspace_id, started_at DESC, id DESC)',
      'customer_call_e164_idx ON customer_call (workspace_id, customer_e164)',
      'customer_call_staff_idx ON customer_call (workspace_id, staff, started_at)',
    ];
    for (const index of indexes) await q.query(`CREATE INDEX ${index}`);
    await q.query(`
      CREATE TABLE customer_call_event (
        workspace_id text NOT NULL,
        body_sha256 bytea NOT NULL,
        provider_call_id text NOT NULL,
        kind text NOT NULL
          CONSTRAINT customer_call_event_kind_ck CHECK (kind IN ('started', 'answered', 'ended')),
        at timestamptz(3) NOT NULL,
        hotline text NOT NULL,
        customer_number text NOT NULL,
        customer_e164 text NOT NULL,
        direction text NOT NULL,
        staff text,
        result text,
        talk_seconds int,
        recording_url text,
        received_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT customer_call_event_pk PRIMARY KEY (workspace_id, body_sha256),
        CONSTRAINT customer_call_event_call_fk FOREIGN KEY (workspace_id, provider_call_id)
          REFERENCES customer_call (workspace_id, provider_call_id) ON DELETE CASCADE
          DEFERRABLE INITIALLY DEFERRED
      )`);
    await q.query(
      'CREATE INDEX customer_call_event_call_idx ON customer_call_event (workspace_id, provider_call_id)',
    );
    await q.query(`
      CREATE TABLE call_provider (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL REFERENCES workspace (id),
        provider text NOT NULL,
        secret text NOT NULL,
        connected_at timestamptz(3) NOT NULL DEFAULT now(),
        secret_set_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT call_provider_workspace_uq UNIQUE (workspace_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE call_provider');
    await q.query('DROP TABLE customer_call_event');
    await q.query('DROP TABLE customer_call');
  }
}
