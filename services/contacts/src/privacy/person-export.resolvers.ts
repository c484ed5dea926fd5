import { badInput, isUuid } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { personExportOf } from './person-export.read';
import { requestPersonExport } from './person-export.write';

export const personExportResolvers: Resolvers = {
  Query: {
    personExport: (_parent, { id }, ctx) => {
      if (!isUuid(id)) throw badInput('id', `"${id}" is not an export id`);
      return personExportOf(ctx.db.manager, ctx.identity.workspaceId, id);
    },
  },
  Mutation: {
    exportCustomerData: (_parent, { id }, ctx) =>
      ctx.db.transaction((tx) => requestPersonExport(tx, ctx.identity, id)),
  },
};

export const personExportAccess: AccessRules = {
  'Query.personExport': { can: 'customers.erase' },
  'Mutation.exportCustomerData': { can: 'customers.erase' },
};
