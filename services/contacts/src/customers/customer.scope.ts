// What a customer-list or write operation needs to know of the request: who asks
// (staff see only their customers), the workspace's custom fields (read once) and the
// request's memos. Shared by every module that lists or writes customers.
import { staffScope } from '@customer-graph/runtime';
import type { Context } from '../context';
import type { ListScope } from './customer.list';
import type { Writer } from './customer.write';

export const scopeOf = async (ctx: Context): Promise<ListScope> => ({
  workspaceId: ctx.workspaceId,
  staffUserId: staffScope(ctx.identity),
  customFields: await ctx.loaders.customFields.all(),
  e164: ctx.loaders.customers.e164,
  compiled: ctx.loaders.customers.compiledFilters,
});

export async function writerOf(ctx: Context): Promise<Writer> {
  return { identity: ctx.identity, customFields: await ctx.loaders.customFields.all() };
}
