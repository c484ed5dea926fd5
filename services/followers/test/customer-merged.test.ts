// followers and contacts.customer.merged, on real Postgres, the subgraph's handlers
// applied as its consumer applies them: the merged customers' followers are the
// survivor's, a merged id's tab is the survivor's, and a second delivery changes
// nothing.
import { randomUUID } from 'node:crypto';
import { CUSTOMER_MERGED, CUSTOMER_ZALO_LINKED, createEvent } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';
import { applyEvents, startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { followersSubgraph } from '../src';

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(followersSubgraph);
});
afterAll(() => subgraph?.stop());

const ws = `f-merged-${randomUUID().slice(0, 8)}`;
const editor: Identity = { workspaceId: ws, userId: 'e1', role: 'editor' };
const [survivor, dup, other] = [randomUUID(), randomUUID(), randomUUID()];

async function follower(zaloUserId: string, customerId: string, day: number) {
  await subgraph.db.query(
    `INSERT INTO zalo_follower (workspace_id, zalo_user_id, display_name, followed_at, status, customer_id)
     VALUES ($1, $2, $2, $3, 'FOLLOWING', $4)`,
    [ws, zaloUserId, new Date(Date.UTC(2026, 0, day)), customerId],
  );
}

const links = async () =>
  Object.fromEntries(
    (
      await subgraph.db.query(
        'SELECT zalo_user_id, customer_id FROM zalo_follower WHERE workspace_id = $1',
        [ws],
      )
    ).map((r: Record<string, string>) => [r.zalo_user_id, r.customer_id]),
  );

it('links the merged customers’ followers to the survivor, once', async () => {
  await subgraph.db.query('INSERT INTO workspace (id) VALUES ($1)', [ws]);
  await follower('z-survivor', survivor, 1);
  await follower('z-dup', dup, 2);
  await follower('z-other', other, 3);
  const event = createEvent({
    type: CUSTOMER_MERGED,
    workspaceId: ws,
    key: survivor,
    payload: { mergeId: randomUUID(), survivorId: survivor, mergedIds: [dup], mergedBy: 'e1' },
  });
  await applyEvents(subgraph.db, followersSubgraph, event);
  expect(await links()).toEqual({ 'z-survivor': survivor, 'z-dup': survivor, 'z-other': other });

  const tab = await subgraph.query(
    editor,
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer {
       zaloFollowerCount zaloFollower { zaloUserId } } } }`,
    { r: [{ __typename: 'Customer', id: dup }] },
  );
  // The merged id answers the survivor's: both followers, the latest follow shown.
  expect(tab.data!._entities).toEqual([
    { zaloFollowerCount: 2, zaloFollower: { zaloUserId: 'z-dup' } },
  ]);

  await applyEvents(subgraph.db, followersSubgraph, event);
  expect(await links()).toEqual({ 'z-survivor': survivor, 'z-dup': survivor, 'z-other': other });
  expect(
    await subgraph.db.query(
      'SELECT merged_id, survivor_id FROM customer_merge WHERE workspace_id = $1',
      [ws],
    ),
  ).toEqual([{ merged_id: dup, survivor_id: survivor }]);
});

it('links a follower to the survivor when its link to a merged customer arrives late', async () => {
  const [followerId] = (
    await subgraph.db.query(
      `INSERT INTO zalo_follower (workspace_id, zalo_user_id, followed_at, status)
       VALUES ($1, 'z-late', now(), 'FOLLOWING') RETURNING id`,
      [ws],
    )
  ).map((r: { id: string }) => r.id);
  await applyEvents(
    subgraph.db,
    followersSubgraph,
    createEvent({
      type: CUSTOMER_ZALO_LINKED,
      workspaceId: ws,
      key: dup,
      payload: {
        customerId: dup,
        followerId,
        zaloUserId: 'z-late',
        phoneE164: '+84912000001',
        created: false,
      },
    }),
  );
  expect((await links())['z-late']).toBe(survivor);
});
