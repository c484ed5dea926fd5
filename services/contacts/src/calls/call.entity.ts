import { EntitySchema } from 'typeorm';

export const CALL_DIRECTIONS = ['INBOUND', 'OUTBOUND'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

export const CALL_RESULTS = ['ANSWERED', 'MISSED', 'BUSY', 'FAILED', 'VOICEMAIL'] as const;
export type CallResult = (typeof CALL_RESULTS)[number];

/** A call between a hotline of the workspace and a customer. */
export interface CallRow {
  id: string;
  workspaceId: string;
  customerId: string;
  /** The phone system's id of the call; unique in the workspace. */
  providerCallId: string;
  hotline: string;
  /** The customer's number as the phone system gave it. */
  customerNumber: string;
  /** The same in E.164, through the runtime's phone module: what matching uses. */
  customerE164: string;
  direction: CallDirection;
  /** Null while the call is in progress (built from events, no `ended` yet). */
  result: CallResult | null;
  startedAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  ringSeconds: number | null;
  talkSeconds: number | null;
  /** User id of the staff member who handled it. */
  staff: string | null;
  note: string | null;
  recordingUrl: string | null;
  /** Written whole by recordCalls: webhook events no longer change it. */
  recorded: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const CallEntity = new EntitySchema<CallRow>({
  name: 'CustomerCall',
  tableName: 'customer_call',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    workspaceId: { name: 'workspace_id', type: 'text' },
    customerId: { name: 'customer_id', type: 'uuid' },
    providerCallId: { name: 'provider_call_id', type: 'text' },
    hotline: { type: 'text' },
    customerNumber: { name: 'customer_number', type: 'text' },
    customerE164: { name: 'customer_e164', type: 'text' },
    direction: { type: 'text' },
    result: { type: 'text', nullable: true },
    startedAt: { name: 'started_at', type: 'timestamptz', precision: 3 },
    answeredAt: { name: 'answered_at', type: 'timestamptz', precision: 3, nullable: true },
    endedAt: { name: 'ended_at', type: 'timestamptz', precision: 3, nullable: true },
    ringSeconds: { name: 'ring_seconds', type: 'int', nullable: true },
    talkSeconds: { name: 'talk_seconds', type: 'int', nullable: true },
    staff: { type: 'text', nullable: true },
    note: { type: 'text', nullable: true },
    recordingUrl: { name: 'recording_url', type: 'text', nullable: true },
    recorded: { type: 'boolean' },
    createdAt: { name: 'created_at', type: 'timestamptz', precision: 3, createDate: true },
    updatedAt: { name: 'updated_at', type: 'timestamptz', precision: 3, updateDate: true },
  },
});

/** The call's columns shaped as CallRow, for hand-written queries over `customer_call c`. */
export const CALL_SELECT = `c.id, c.workspace_id AS "workspaceId", c.customer_id AS "customerId",
  c.provider_call_id AS "providerCallId", c.hotline, c.customer_number AS "customerNumber",
  c.customer_e164 AS "customerE164", c.direction, c.result, c.started_at AS "startedAt",
  c.answered_at AS "answeredAt", c.ended_at AS "endedAt", c.ring_seconds AS "ringSeconds",
  c.talk_seconds AS "talkSeconds", c.staff, c.note, c.recording_url AS "recordingUrl",
  c.recorded, c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;

/** The workspace's phone-system connection (one per workspace). */
export interface CallProviderRow {
  /** The connection id, sent by the phone system with every event. */
  id: string;
  workspaceId: string;
  provider: string;
  /** Signs the events; sealed (call.provider.ts). Never leaves this service. */
  secret: string;
  connectedAt: Date;
  secretSetAt: Date;
}

export const CallProviderEntity = new EntitySchema<CallProviderRow>({
  name: 'CallProvider',
  tableName: 'call_provider',
  columns: {
    id: { type: 'uuid', primary: true },
    workspaceId: { name: 'workspace_id', type: 'text' },
    provider: { type: 'text' },
    secret: { type: 'text' },
    connectedAt: { name: 'connected_at', type: 'timestamptz', precision: 3 },
    secretSetAt: { name: 'secret_set_at', type: 'timestamptz', precision: 3 },
  },
});
