export { marketingSubgraph, marketingSubgraph as subgraph } from './subgraph';
