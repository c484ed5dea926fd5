export { marketingSubgraph } from './subgraph';
