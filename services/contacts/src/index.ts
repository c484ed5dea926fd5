export { contactsSubgraph } from './subgraph';
