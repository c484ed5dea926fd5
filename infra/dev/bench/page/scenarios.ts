// bench:page's traffic: the two screens (schema/operations/frontend/) as the frontends
// send them, in two shapes — every connection the same user on the same page (where
// merging identical calls in flight helps), and 100 users across 10 workspaces, each
// scrolling their own list or opening their own customers (where it cannot).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@customer-graph/runtime';
import type { Role } from '@customer-graph/runtime';
import { signDevToken } from '@customer-graph/gateway';
import type { LoadRequest } from './load';
import type { PageSeed, SeededWorkspace } from './page-seed';

export const LIST = readFileSync(
  path.join(repoRoot(), 'schema/operations/frontend/customer-list.graphql'),
  'utf8',
);
export const DETAIL = readFileSync(
  path.join(repoRoot(), 'schema/operations/frontend/customer-detail.graphql'),
  'utf8',
);

export interface Scenario {
  name: string;
  page: 'list' | 'detail';
  shape: 'one user' | '100 users';
  requests: LoadRequest[];
}

/** How many pages of its list each user of the many-users shape scrolls through. */
const PAGES_PER_USER = 5;
const USERS_PER_WORKSPACE = 10;
const ROLES: Role[] = ['admin', 'editor'];

export const listRequest = (token: string, after: string | null, first = 20): LoadRequest => ({
  token,
  body: { query: LIST, operationName: 'CustomerListPage', variables: { first, after } },
});
export const detailRequest = (token: string, id: string): LoadRequest => ({
  token,
  body: { query: DETAIL, operationName: 'CustomerDetailPage', variables: { id } },
});

/** The list's cursors of a workspace: page k starts after cursors[k] (null: the first page). */
export type Cursors = (string | null)[];

export async function scenarios(
  seed: PageSeed,
  jwtSecret: string,
  cursorsOf: (ws: SeededWorkspace, token: string) => Promise<Cursors>,
): Promise<Scenario[]> {
  const token = (workspaceId: string, userId: string, role: Role) =>
    signDevToken({ workspaceId, userId, role }, jwtSecret);
  const one = await token(seed.big.workspaceId, 'bench-user', 'admin');
  const workspaces = [seed.big, ...seed.small.slice(0, 9)];
  const list: LoadRequest[] = [];
  const detail: LoadRequest[] = [];
  const users = await Promise.all(
    workspaces.flatMap((ws) =>
      Array.from({ length: USERS_PER_WORKSPACE }, async (_, u) => ({
        ws,
        u,
        token: await token(ws.workspaceId, `bench-user-${u}`, ROLES[u % ROLES.length]),
      })),
    ),
  );
  const cursors = new Map<string, Cursors>();
  for (const ws of workspaces) {
    cursors.set(
      ws.workspaceId,
      await cursorsOf(ws, await token(ws.workspaceId, 'bench-admin', 'admin')),
    );
  }
  // Interleaved so that the connections, taking every 32nd request, mix users and pages.
  for (let k = 0; k < PAGES_PER_USER; k++) {
    for (const { ws, u, token: t } of users) {
      const c = cursors.get(ws.workspaceId)!;
      list.push(listRequest(t, c[k % c.length]));
      const ids = ws.customerIds;
      detail.push(detailRequest(t, ids[(u * PAGES_PER_USER + k) % Math.min(ids.length, 100)]));
    }
  }
  return [
    {
      name: 'list · one user',
      page: 'list',
      shape: 'one user',
      requests: [listRequest(one, null)],
    },
    { name: 'list · 100 users', page: 'list', shape: '100 users', requests: list },
    {
      name: 'detail · one user',
      page: 'detail',
      shape: 'one user',
      requests: [detailRequest(one, seed.big.customerIds[0])],
    },
    { name: 'detail · 100 users', page: 'detail', shape: '100 users', requests: detail },
  ];
}

export { PAGES_PER_USER };
