// The workspace's custom fields (gated by plan), and the plan itself.
import type { DomainModule } from '@customer-graph/runtime';
import { CustomFieldEntity } from './custom-field.entity';
import { createCustomFieldLoaders } from './custom-field.loaders';
import { customFieldResolvers, customFieldAccess } from './custom-field.resolvers';

export const customFieldsModule: DomainModule = {
  name: 'customFields',
  resolvers: [customFieldResolvers],
  access: customFieldAccess,
  entities: [CustomFieldEntity],
  loaders: createCustomFieldLoaders,
};
