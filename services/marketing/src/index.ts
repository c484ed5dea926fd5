export { marketingSubgraph, marketingSubgraph as subgraph } from './subgraph';
export { SUMMARY_AGGREGATE, SUMMARY_COLUMNS } from './messages/summary.kept';
export { KEPT_SUMMARY_READ } from './messages/summary.loaders';
