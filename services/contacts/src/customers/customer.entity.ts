import { EntitySchema } from 'typeorm';

export type Gender = 'MALE' | 'FEMALE' | 'OTHER';

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
    createdAt: { name: 'created_at', type: 'timestamptz', precision: 3, createDate: true },
    updatedAt: { name: 'updated_at', type: 'timestamptz', precision: 3, updateDate: true },
  },
});
