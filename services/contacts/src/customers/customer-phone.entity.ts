import { EntitySchema } from 'typeorm';

export interface CustomerPhoneRow {
  id: string;
  workspaceId: string;
  customerId: string;
  /** The number as typed. */
  number: string;
  /** E.164, null when the typed number is not a valid one. */
  e164: string | null;
  /** 0 is the primary number. */
  position: number;
}

export const CustomerPhoneEntity = new EntitySchema<CustomerPhoneRow>({
  name: 'CustomerPhone',
  tableName: 'customer_phone',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    workspaceId: { name: 'workspace_id', type: 'text' },
    customerId: { name: 'customer_id', type: 'uuid' },
    number: { type: 'text' },
    e164: { type: 'text', nullable: true },
    position: { type: 'int' },
  },
});
