export { followersSubgraph } from './subgraph';
