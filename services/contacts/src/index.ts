export { contactsSubgraph, contactsSubgraph as subgraph } from './subgraph';
// For the customer-list benchmark, which EXPLAINs the queries the list runs.
export { customerPageQuery } from './customers/customer.list';
export type { ListArgs, ListScope, PageQuery } from './customers/customer.list';
