// Tasks about a customer ("Công việc", seed 003): `Customer.tasks`, `Query.tasks`,
// `createTask`, `updateTask`, `completeTask`. docs/tasks.md.
import type { DomainModule } from '@customer-graph/runtime';
import { TaskEntity } from './task.entity';
import { createTaskLoaders } from './task.loaders';
import { taskAccess, taskResolvers } from './task.resolvers';
import { seedDemoTasks } from './task.seed';
import { CreateTasks1764700000510 } from './migrations/1764700000510-CreateTasks';

export const tasksModule: DomainModule = {
  name: 'tasks',
  resolvers: [taskResolvers],
  access: taskAccess,
  entities: [TaskEntity],
  migrations: [CreateTasks1764700000510],
  loaders: createTaskLoaders,
  seedDemo: seedDemoTasks,
};
