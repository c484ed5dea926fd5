import { EntitySchema } from 'typeorm';

export type FollowerGender = 'MALE' | 'FEMALE';
export type FollowerStatus = 'FOLLOWING' | 'UNFOLLOWED';

export interface ZaloFollowerRow {
  id: string;
  workspaceId: string;
  /** Zalo user id: unique per OA (one OA per workspace), never changes. */
  zaloUserId: string;
  displayName: string | null;
  gender: FollowerGender | null;
  followedAt: Date;
  status: FollowerStatus;
  /** As shared by the user. */
  phone: string | null;
  /** The contacts customer this follower is linked to (another subgraph's id). */
  customerId: string | null;
  /** When it was last linked (meaningful only while `customerId` is set). */
  linkedAt: Date;
}

export const ZaloFollowerEntity = new EntitySchema<ZaloFollowerRow>({
  name: 'ZaloFollower',
  tableName: 'zalo_follower',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    workspaceId: { name: 'workspace_id', type: 'text' },
    zaloUserId: { name: 'zalo_user_id', type: 'text' },
    displayName: { name: 'display_name', type: 'text', nullable: true },
    gender: { type: 'text', nullable: true },
    followedAt: { name: 'followed_at', type: 'timestamptz', precision: 3 },
    status: { type: 'text' },
    phone: { type: 'text', nullable: true },
    customerId: { name: 'customer_id', type: 'uuid', nullable: true },
    linkedAt: { name: 'linked_at', type: 'timestamptz', precision: 3, default: () => 'now()' },
  },
});
