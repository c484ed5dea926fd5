/** A customer as this subgraph knows it: only its id (contacts owns the rest). */
export interface CustomerRef {
  id: string;
}
