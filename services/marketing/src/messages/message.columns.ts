// The columns a tab's page reads: those of the MarketingMessage fields the request
// selects under `edges { node { … } }`, not all eighteen. The customer list asks five
// fields of 5 messages for each of 20 customers: the rows Postgres sends and
// node-postgres parses (timestamps by regular expression) are a third as wide. A field
// this file does not know reads every column, so a new field is never served a row
// without its column; the row type stays MarketingMessageRow, whose unread properties
// no resolver of the selection touches.
import { Kind } from 'graphql';
import type {
  FieldNode,
  FragmentDefinitionNode,
  GraphQLResolveInfo,
  SelectionSetNode,
} from 'graphql';
import type { MarketingMessageRow } from './message.entity';

type Column = keyof MarketingMessageRow;

/** Each row property's SQL over marketing_message `t`. */
const SQL: Record<Column, string> = {
  id: 't.id',
  workspaceId: 't.workspace_id AS "workspaceId"',
  customerId: 't.customer_id AS "customerId"',
  campaignId: 't.campaign_id AS "campaignId"',
  channel: 't.channel',
  campaignName: 't.campaign_name AS "campaignName"',
  address: 't.address',
  splitPart: 't.split_part AS "splitPart"',
  contentSummary: 't.content_summary AS "contentSummary"',
  voucherCode: 't.voucher_code AS "voucherCode"',
  status: 't.status',
  statusAt: 't.status_at AS "statusAt"',
  failureReason: 't.failure_reason AS "failureReason"',
  sendState: 't.send_state AS "sendState"',
  attempts: 't.attempts',
  providerMessageId: 't.provider_message_id AS "providerMessageId"',
  sentAt: 't.sent_at AS "sentAt"',
  createdAt: 't.created_at AS "createdAt"',
};
const ALL = Object.keys(SQL) as Column[];

/** Read whatever is selected: the page's order and cursor, the list's alignment. */
const ALWAYS: readonly Column[] = ['id', 'customerId', 'createdAt'];

/** What each MarketingMessage field (its resolver, or the default one) reads. */
const READS: Record<string, readonly Column[]> = {
  __typename: [],
  id: [],
  channel: ['channel'],
  campaignName: ['campaignName'],
  contentSummary: ['contentSummary'],
  status: ['status'],
  failureReason: ['failureReason'],
  sentAt: ['sentAt'], // falls back on createdAt
  createdAt: [],
  campaignId: ['campaignId'],
  voucherCode: ['voucherCode'],
  address: ['address'],
  timeline: [], // by id and createdAt
};

/** The fields selected in a set (fragments followed), or null for something unknown. */
function fieldsOf(
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  into: FieldNode[],
): FieldNode[] | null {
  for (const s of set?.selections ?? []) {
    if (s.kind === Kind.FIELD) into.push(s);
    else {
      const inner = s.kind === Kind.INLINE_FRAGMENT ? s : fragments[s.name.value];
      if (!inner || !fieldsOf(inner.selectionSet, fragments, into)) return null;
    }
  }
  return into;
}

/** The selected fields named `name` in a set of fields' selections. */
function children(
  nodes: readonly FieldNode[],
  name: string,
  fragments: Record<string, FragmentDefinitionNode>,
): FieldNode[] | null {
  const found: FieldNode[] = [];
  for (const node of nodes) {
    const fields = fieldsOf(node.selectionSet, fragments, []);
    if (!fields) return null;
    found.push(...fields.filter((f) => f.name.value === name));
  }
  return found;
}

// The same FieldNode array is handed to the field's resolver for every customer of a
// response (graphql-js collects a type's fields once), so each request works it out once.
const cache = new WeakMap<readonly FieldNode[], readonly Column[]>();

/** The columns the selection of a `marketing` field reads, in a stable order. */
export function columnsOf(
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>,
): readonly Column[] {
  const cached = cache.get(info.fieldNodes);
  if (cached) return cached;
  const edges = children(info.fieldNodes, 'edges', info.fragments);
  const nodes = edges && children(edges, 'node', info.fragments);
  let columns: readonly Column[] = ALL;
  if (nodes) {
    const wanted = new Set<Column>(ALWAYS);
    const selected = nodes.flatMap((n) => fieldsOf(n.selectionSet, info.fragments, []) ?? [null]);
    const known = selected.every((f) => f !== null && READS[f.name.value]);
    if (known) {
      for (const f of selected) for (const c of READS[f!.name.value]) wanted.add(c);
      columns = ALL.filter((c) => wanted.has(c));
    }
  }
  cache.set(info.fieldNodes, columns);
  return columns;
}

/** The select list of these columns. */
export function selectList(columns: readonly Column[]): string {
  return columns.map((c) => SQL[c]).join(', ');
}
