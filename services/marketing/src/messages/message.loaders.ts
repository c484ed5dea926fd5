// The Marketing tab's reads, per request and batched over the customers (or messages) of
// a response. marketing_message is partitioned by month of created_at: a customer's
// page is one LATERAL subquery per customer, ordered like the customer index
// (workspace_id, customer_id, created_at DESC, id DESC), so Postgres reads it as an
// ordered Append of one index scan per month, newest month first, under the LIMIT: the
// older months' scans never run once the page is full, and the customer's messages are
// never sorted in full (`from`/`to` and a cursor also prune the months outside them).
// EXPLAIN in bench:marketing's results (`tabPlan`).
import type DataLoader from 'dataloader';
import type { Page, RequestScope } from '@customer-graph/runtime';
import {
  alignMany,
  encodeCursor,
  isUuid,
  loaderFamily,
  newestFirst,
  queryPrepared,
  sortSignature,
} from '@customer-graph/runtime';
import { selectList } from './message.columns';
import type { MarketingChannel, MarketingMessageRow } from './message.entity';
import type { MessagePage } from './message.mappers';
import { createSummaryLoaders } from './summary.loaders';
import type { SummaryLoaders } from './summary.loaders';

/** Messages are listed newest first. */
export const MESSAGES_NEWEST_FIRST = newestFirst('created_at');

/** Which of a customer's messages a tab lists (and counts). */
export interface MessageFilter {
  channel: MarketingChannel | null;
  /** Inclusive, on created_at. */
  from: Date | null;
  /** Exclusive, on created_at. */
  to: Date | null;
}

export interface MessagePageArgs extends MessageFilter {
  page: Page;
  /** The row properties to read (message.columns.ts's columnsOf). */
  columns: readonly (keyof MarketingMessageRow)[];
}

export interface MessageLoaders extends SummaryLoaders {
  /** A page of a customer's messages, newest first; one query per distinct page. */
  byCustomer: (args: MessagePageArgs) => DataLoader<string, MessagePage>;
  /** How many messages each customer has (in the filter): one grouped query. */
  countByCustomer: (filter: MessageFilter) => DataLoader<string, number>;
}

declare module '../context' {
  interface Loaders {
    messages: MessageLoaders;
  }
}

/** The filter's SQL conditions on `t`, its parameters numbered from `next`. */
function filterSql(filter: MessageFilter, params: unknown[]): string[] {
  const conditions: string[] = [];
  if (filter.channel) conditions.push(`t.channel = $${params.push(filter.channel)}`);
  if (filter.from) conditions.push(`t.created_at >= $${params.push(filter.from)}`);
  if (filter.to) conditions.push(`t.created_at < $${params.push(filter.to)}`);
  return conditions;
}

/**
 * A customer's page of messages. Cursors are encoded only when a client asks for them
 * (the customer list asks for none of its 100).
 */
class MessagePageOf implements MessagePage {
  readonly edges: MessageEdge[];
  readonly pageInfo: PageInfoOf;
  constructor(
    rows: MarketingMessageRow[],
    page: Page,
    readonly filter: MessageFilter,
    readonly customerId: string,
  ) {
    const shown = rows.length > page.first ? rows.slice(0, page.first) : rows;
    this.edges = shown.map((node) => new MessageEdge(node, page));
    this.pageInfo = new PageInfoOf(this.edges, rows.length > page.first);
  }
}

class MessageEdge {
  constructor(
    readonly node: MarketingMessageRow,
    private readonly page: Page,
  ) {}

  get cursor(): string {
    const { list, sort } = this.page;
    const keys = [this.node.createdAt.toISOString()];
    return encodeCursor({ list, sort: sortSignature(sort), keys, id: this.node.id });
  }
}

class PageInfoOf {
  constructor(
    private readonly edges: MessageEdge[],
    readonly hasNextPage: boolean,
  ) {}

  get endCursor(): string | null {
    return this.edges.length > 0 ? this.edges[this.edges.length - 1].cursor : null;
  }
}

export function createMessageLoaders(scope: RequestScope): MessageLoaders {
  const { db, workspaceId } = scope;
  return {
    ...createSummaryLoaders(scope),
    byCustomer: loaderFamily(async (args: MessagePageArgs, customerIds: readonly string[]) => {
      const ids = customerIds.filter(isUuid);
      const params: unknown[] = [workspaceId, ids, args.page.first + 1];
      const conditions = filterSql(args, params);
      const after = args.page.after;
      if (after) {
        const key = `$${params.push(after.keys[0])}::timestamptz`;
        const id = `$${params.push(after.id)}::uuid`;
        // The plain bound lets Postgres skip the months after the cursor.
        conditions.push(`t.created_at <= ${key}`, `(t.created_at, t.id) < (${key}, ${id})`);
      }
      const rows: MarketingMessageRow[] =
        ids.length === 0
          ? []
          : (
              await queryPrepared<MarketingMessageRow>(
                db,
                `SELECT m.* FROM unnest($2::uuid[]) AS c(id) CROSS JOIN LATERAL (
                   SELECT ${selectList(args.columns)} FROM marketing_message t
                    WHERE t.workspace_id = $1 AND t.customer_id = c.id
                      ${conditions.map((c) => `AND ${c}`).join(' ')}
                    ORDER BY t.created_at DESC, t.id DESC LIMIT $3) m`,
                params,
              )
            ).rows;
      const filter: MessageFilter = { channel: args.channel, from: args.from, to: args.to };
      return alignMany(customerIds, rows, (row) => row.customerId).map(
        (list, i) => new MessagePageOf(list, args.page, filter, customerIds[i]),
      );
    }),
    countByCustomer: loaderFamily(async (filter: MessageFilter, customerIds: readonly string[]) => {
      const params: unknown[] = [workspaceId, customerIds.filter(isUuid)];
      const conditions = filterSql(filter, params);
      const { rows } = await queryPrepared<{ customerId: string; n: number }>(
        db,
        `SELECT t.customer_id AS "customerId", count(*)::int AS n FROM marketing_message t
          WHERE t.workspace_id = $1 AND t.customer_id = ANY($2::uuid[])
            ${conditions.map((c) => `AND ${c}`).join(' ')}
          GROUP BY t.customer_id`,
        params,
      );
      const byId = new Map(rows.map((r) => [r.customerId, r.n]));
      return customerIds.map((id) => byId.get(id) ?? 0);
    }),
  };
}
