export { contactsSubgraph, contactsSubgraph as subgraph } from './subgraph';
// For the customer-list benchmark, which EXPLAINs the queries the list runs.
export { customerPageQuery } from './customers/customer.list';
export type { ListArgs, ListScope, PageQuery } from './customers/customer.list';
// How much heavy work a workspace may run and queue at once, for tests and benchmarks.
export { HEAVY_CONCURRENCY, HEAVY_QUEUE } from './customers/heavy-work';
// How phone systems sign their call events, and how fresh they must be; for test senders.
export { EVENT_FRESHNESS_MS, callEventSignature } from './calls/call-event.wire';
// The file store (uploads, exports), for tests and benchmarks that write or prune files.
export {
  openFileWriter,
  readFileChunks,
  pruneExpiredFiles,
  fileUrl,
  downloadable,
} from './files/file.store';
export type { FileKind, FileWriter, StoredFile } from './files/file.store';
// For bench:analytics, which times and EXPLAINs the statement customerStats runs.
export { customerStatsQuery } from './analytics/customer-stats';
export type { CustomerFilterInput } from './filter/filter.types';
export type { CustomerStatsKey } from './generated/graphql';
