import { EntitySchema } from 'typeorm';

/** Every stage, in the default order: the open ones, then the terminal ones. */
export const OPPORTUNITY_STAGES = ['DISCOVERY', 'QUOTE', 'NEGOTIATION', 'WON', 'LOST'] as const;
export type OpportunityStage = (typeof OPPORTUNITY_STAGES)[number];

/** A won or lost opportunity is closed: it moves no more. */
export const TERMINAL_STAGES: readonly OpportunityStage[] = ['WON', 'LOST'];

export interface OpportunityRow {
  id: string;
  workspaceId: string;
  customerId: string;
  name: string;
  /** Whole đồng; bigint arrives from pg as a string. */
  value: string;
  stage: OpportunityStage;
  /** YYYY-MM-DD */
  expectedCloseDate: string | null;
  /** User id of the staff member in charge; null when nobody is. */
  owner: string | null;
  note: string | null;
  /** When it reached WON or LOST (a table check holds it), null while open. */
  closedAt: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const instant = (name: string, nullable = true) =>
  ({ name, type: 'timestamptz', precision: 3, nullable }) as const;

export const OpportunityEntity = new EntitySchema<OpportunityRow>({
  name: 'Opportunity',
  tableName: 'opportunity',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    workspaceId: { name: 'workspace_id', type: 'text' },
    customerId: { name: 'customer_id', type: 'uuid' },
    name: { type: 'text' },
    value: { type: 'bigint' },
    stage: { type: 'text' },
    expectedCloseDate: { name: 'expected_close_date', type: 'date', nullable: true },
    owner: { type: 'text', nullable: true },
    note: { type: 'text', nullable: true },
    closedAt: instant('closed_at'),
    createdBy: { name: 'created_by', type: 'text' },
    createdAt: instant('created_at', false),
    updatedAt: instant('updated_at', false),
  },
});

/** The columns of an opportunity row as its properties, from `alias`, for raw SQL. */
export function opportunitySelect(alias: string): string {
  return Object.entries(OpportunityEntity.options.columns)
    .map(([prop, col]) => {
      const column = `${alias}.${(col as { name?: string }).name ?? prop}`;
      // A date as the client sees it (pg would make it a Date at local midnight).
      const value = prop === 'expectedCloseDate' ? `to_char(${column}, 'YYYY-MM-DD')` : column;
      return `${value} AS "${prop}"`;
    })
    .join(', ');
}
