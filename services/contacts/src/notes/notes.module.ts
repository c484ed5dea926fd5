// Notes written about a customer: `Customer.notes` and `addCustomerNote`.
import type { DomainModule } from '@customer-graph/runtime';
import { CustomerNoteEntity } from './note.entity';
import { createNoteLoaders } from './note.loaders';
import { noteResolvers, noteAccess } from './note.resolvers';

export const notesModule: DomainModule = {
  name: 'notes',
  resolvers: [noteResolvers],
  access: noteAccess,
  entities: [CustomerNoteEntity],
  loaders: createNoteLoaders,
};
