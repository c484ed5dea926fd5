// Detail tabs (seed 003): a user's own saved tabs, else the workspace's default set by
// an admin ("Cách 2"), else the built-in ones; on real Postgres.
import { randomUUID } from 'node:crypto';
import type { Identity } from '@customer-graph/runtime';
import { startTestSubgraph } from '@customer-graph/runtime/testing';
import type { TestSubgraph } from '@customer-graph/runtime/testing';
import { contactsSubgraph } from '../src';

const ws = `views-${randomUUID().slice(0, 8)}`;
const admin: Identity = { workspaceId: ws, userId: 'admin-1', role: 'admin' };
const editor: Identity = { workspaceId: ws, userId: 'editor-1', role: 'editor' };
const staff: Identity = { workspaceId: ws, userId: 'sam', role: 'staff' };
const analyst: Identity = { workspaceId: ws, userId: 'ana', role: 'analyst' };
const elsewhere: Identity = { workspaceId: `${ws}-other`, userId: 'sam', role: 'staff' };

const MY_VIEW = '{ myView { detailTabs detailTabsSource } }';
const WORKSPACE_VIEW = '{ workspaceView { detailTabs custom updatedBy updatedAt } }';
const SAVE_WORKSPACE = `mutation($i: WorkspaceViewInput!) { saveWorkspaceView(input: $i) {
  detailTabs custom updatedBy } }`;
const SAVE_MINE = `mutation($i: UserViewInput!) { saveMyView(input: $i) {
  listColumns detailTabs detailTabsSource } }`;
const BUILT_IN = [
  'INFO',
  'NOTES',
  'ZALO',
  'ORDERS',
  'MARKETING',
  'CALLS',
  'TASKS',
  'OPPORTUNITIES',
  'SAME_PHONE_CUSTOMERS',
  'SAME_PHONE_ORDERS',
];
const CHOSEN = ['INFO', 'CALLS', 'TASKS', 'OPPORTUNITIES', 'SAME_PHONE_CUSTOMERS', 'ORDERS'];

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(contactsSubgraph);
});
afterAll(() => subgraph?.stop());

async function ok(who: Identity, query: string, variables?: object) {
  const body = await subgraph.query(who, query, variables);
  expect(body.errors).toBeUndefined();
  return body.data!;
}

it('shows the built-in tabs while neither the workspace nor the user chose any', async () => {
  expect(await ok(staff, MY_VIEW)).toEqual({
    myView: { detailTabs: BUILT_IN, detailTabsSource: 'BUILT_IN' },
  });
  expect(await ok(staff, WORKSPACE_VIEW)).toEqual({
    workspaceView: { detailTabs: BUILT_IN, custom: false, updatedBy: null, updatedAt: null },
  });
});

it('lets only an admin set the workspace’s default tabs, which users without their own then see', async () => {
  // The editor saved columns but no tabs: the workspace's default reaches them too.
  await ok(editor, SAVE_MINE, { i: { listColumns: ['name', 'phone'] } });
  const refused = await subgraph.query(editor, SAVE_WORKSPACE, { i: { detailTabs: ['INFO'] } });
  expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(await ok(admin, SAVE_WORKSPACE, { i: { detailTabs: CHOSEN } })).toEqual({
    saveWorkspaceView: { detailTabs: CHOSEN, custom: true, updatedBy: 'admin-1' },
  });
  for (const who of [staff, editor, analyst, admin]) {
    expect(await ok(who, MY_VIEW)).toEqual({
      myView: { detailTabs: CHOSEN, detailTabsSource: 'WORKSPACE' },
    });
  }
  expect((await ok(editor, '{ myView { listColumns } }')).myView).toEqual({
    listColumns: ['name', 'phone'],
  });
  // Another workspace keeps its own (here the built-in) tabs.
  expect(await ok(elsewhere, MY_VIEW)).toEqual({
    myView: { detailTabs: BUILT_IN, detailTabsSource: 'BUILT_IN' },
  });
});

it('keeps a user’s own tabs over the workspace’s, until the user forgets them', async () => {
  const mine = ['ORDERS', 'INFO', 'SAME_PHONE_ORDERS'];
  expect(await ok(staff, SAVE_MINE, { i: { detailTabs: mine } })).toMatchObject({
    saveMyView: { detailTabs: mine, detailTabsSource: 'USER' },
  });
  await ok(admin, SAVE_WORKSPACE, { i: { detailTabs: ['INFO', 'NOTES'] } });
  expect(await ok(staff, MY_VIEW)).toEqual({
    myView: { detailTabs: mine, detailTabsSource: 'USER' },
  });
  // Saving other fields leaves the tabs as they are.
  await ok(staff, SAVE_MINE, { i: { listColumns: ['name'] } });
  expect((await ok(staff, MY_VIEW)).myView).toEqual({ detailTabs: mine, detailTabsSource: 'USER' });
  // null forgets them: the workspace's apply again.
  expect(await ok(staff, SAVE_MINE, { i: { detailTabs: null } })).toEqual({
    saveMyView: {
      listColumns: ['name'],
      detailTabs: ['INFO', 'NOTES'],
      detailTabsSource: 'WORKSPACE',
    },
  });
});

it('goes back to the built-in tabs when the admin clears the default', async () => {
  expect(await ok(admin, SAVE_WORKSPACE, { i: { detailTabs: null } })).toEqual({
    saveWorkspaceView: { detailTabs: BUILT_IN, custom: false, updatedBy: 'admin-1' },
  });
  expect(await ok(analyst, MY_VIEW)).toEqual({
    myView: { detailTabs: BUILT_IN, detailTabsSource: 'BUILT_IN' },
  });
});

it.each([
  ['no tab', []],
  ['a tab twice', ['INFO', 'CALLS', 'INFO']],
])('refuses a default with %s, naming the field, and changes nothing', async (_label, tabs) => {
  await ok(admin, SAVE_WORKSPACE, { i: { detailTabs: ['INFO', 'ZALO'] } });
  const body = await subgraph.query(admin, SAVE_WORKSPACE, { i: { detailTabs: tabs } });
  expect(body.errors?.[0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'input.detailTabs',
  });
  expect((await ok(analyst, WORKSPACE_VIEW)).workspaceView.detailTabs).toEqual(['INFO', 'ZALO']);
});
