import type DataLoader from 'dataloader';
import type { Connection, Page, RequestScope } from '@customer-graph/runtime';
import { findPagesPerParent, loaderFamily, newestFirst } from '@customer-graph/runtime';
import { CustomerNoteEntity } from './note.entity';
import type { CustomerNoteRow } from './note.entity';

/** Notes are listed newest first. */
export const NOTES_NEWEST_FIRST = newestFirst('created_at');

export interface NoteLoaders {
  /** A page of a customer's notes, newest first; one query per distinct page. */
  byCustomer: (page: Page) => DataLoader<string, Connection<CustomerNoteRow>>;
}

declare module '../context' {
  interface Loaders {
    notes: NoteLoaders;
  }
}

export function createNoteLoaders({ db, workspaceId }: RequestScope): NoteLoaders {
  return {
    byCustomer: loaderFamily((page: Page, customerIds: readonly string[]) =>
      findPagesPerParent(db.getRepository(CustomerNoteEntity), {
        parentColumn: 'customer_id',
        parentOf: (row) => row.customerId,
        sortKeyOf: (row) => row.createdAt,
        workspaceId,
        parentIds: customerIds,
        page,
      }),
    ),
  };
}
