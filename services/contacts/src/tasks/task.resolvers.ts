import { pageOf } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { listTasks, TASKS_NEWEST_FIRST } from './task.list';
import { completeTask, createTask, updateTask } from './task.write';

export const taskResolvers: Resolvers = {
  Query: {
    tasks: (_root, args, ctx, info) =>
      listTasks(ctx.db, ctx.workspaceId, ctx.access.scope, ctx.loaders.tasks.frame, args, info),
  },
  Mutation: {
    createTask: (_root, { input }, ctx) =>
      ctx.db.transaction((tx) => createTask(tx, ctx.identity, input)),
    updateTask: (_root, { id, input }, ctx) =>
      ctx.db.transaction((tx) => updateTask(tx, ctx.identity, id, input)),
    completeTask: (_root, { id }, ctx) =>
      ctx.db.transaction((tx) => completeTask(tx, ctx.identity, id)),
  },
  Customer: {
    tasks: async (customer, args, ctx, info) => {
      const filter = args.filter ?? null;
      const page = pageOf(args, info, TASKS_NEWEST_FIRST);
      const connection = await ctx.loaders.tasks.byCustomer({ page, filter }).load(customer.id);
      return {
        ...connection,
        count: () => ctx.loaders.tasks.countByCustomer(filter).load(customer.id),
      };
    },
  },
  TaskConnection: {
    totalCount: (page) => page.count(),
  },
  Task: {
    // Through the customers loader, which answers null for a customer the caller may
    // not see: a staff member's task on another's customer shows no customer.
    customer: (task, _args, ctx) => ctx.loaders.customers.customerById.load(task.customerId),
  },
};

export const taskAccess: AccessRules = {
  // Scoped in SQL (taskScopeSql): staff get their customers' tasks and their own.
  'Query.tasks': { can: 'customers.read' },
  // The service checks the customer (staff: theirs) and the task (staff: theirs to see).
  'Mutation.createTask': { can: 'customers.write' },
  'Mutation.updateTask': { can: 'customers.write' },
  'Mutation.completeTask': { can: 'customers.write' },
  // Every task of a customer the caller sees, the customer checked by its own resolver
  // (contacts' customers come only through the scoped loaders).
  'Customer.tasks': { can: 'customers.read', customer: (c: { id: string }) => c.id },
  'TaskConnection.totalCount': { inherit: 'counts the list its parent field scoped' },
  'Task.customer': {
    can: 'customers.read',
    customer: (t: { customerId: string }) => t.customerId,
  },
};
