import { EntitySchema } from 'typeorm';

export type Gender = 'MALE' | 'FEMALE' | 'OTHER';
export type CustomerGroup = 'PRIORITY' | 'RESTRICTED';
export type CustomerType = 'VISITOR' | 'LEAD' | 'CUSTOMER';

export interface CustomerRow {
  id: string;
  workspaceId: string;
  name: string | null;
  email: string | null;
  address: string | null;
  city: string | null;
  /** YYYY-MM-DD */
  birthday: string | null;
  gender: Gender | null;
  timezone: string | null;
  avatarUrl: string | null;
  tags: string[];
  labels: string[];
  assignedStaff: string | null;
  group: CustomerGroup | null;
  /** Derived by customer_derived_type in the statement that changes what it depends on. */
  type: CustomerType;
  /** Custom field values by key, validated against their definitions when written. */
  custom: Record<string, unknown>;
  /** Channels the customer is opted out of (consent/, projected from marketing), sorted. */
  optedOutChannels: string[];
  createdAt: Date;
  updatedAt: Date;
}

// EntitySchema rather than decorators: no reflect-metadata, and the same file works
// under tsc, swc (jest) and esbuild (tsx) without decorator settings in each.
export const CustomerEntity = new EntitySchema<CustomerRow>({
  name: 'Customer',
  tableName: 'customer',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    workspaceId: { name: 'workspace_id', type: 'text' },
    name: { type: 'text', nullable: true },
    email: { type: 'text', nullable: true },
    address: { type: 'text', nullable: true },
    city: { type: 'text', nullable: true },
    birthday: { type: 'date', nullable: true },
    gender: { type: 'text', nullable: true },
    timezone: { type: 'text', nullable: true },
    avatarUrl: { name: 'avatar_url', type: 'text', nullable: true },
    tags: { type: 'text', array: true },
    labels: { type: 'text', array: true },
    assignedStaff: { name: 'assigned_staff', type: 'text', nullable: true },
    group: { name: 'customer_group', type: 'text', nullable: true },
    type: { type: 'text' },
    custom: { type: 'jsonb' },
    optedOutChannels: {
      name: 'opted_out_channels',
      type: 'text',
      array: true,
      default: () => "'{}'",
    },
    createdAt: { name: 'created_at', type: 'timestamptz', precision: 3, createDate: true },
    updatedAt: { name: 'updated_at', type: 'timestamptz', precision: 3, updateDate: true },
  },
});

/**
 * The customer's columns shaped as CustomerRow, for hand-written queries over
 * `customer c` (filters compile to positional SQL). The birthday stays a string.
 */
export const CUSTOMER_SELECT = `c.id, c.workspace_id AS "workspaceId", c.name, c.email,
  c.address, c.city, to_char(c.birthday, 'YYYY-MM-DD') AS birthday, c.gender, c.timezone,
  c.avatar_url AS "avatarUrl", c.tags, c.labels, c.assigned_staff AS "assignedStaff",
  c.customer_group AS "group", c.type, c.custom,
  c.opted_out_channels AS "optedOutChannels", c.created_at AS "createdAt",
  c.updated_at AS "updatedAt"`;
