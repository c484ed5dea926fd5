// The customer filter as the GraphQL layer hands it over (a plain JS object), and the
// context the compiler needs to turn it into SQL. Saved lists come back from storage
// as JSON, so these types describe what a well-formed filter looks like; the compiler
// checks every part at runtime rather than trusting them.

export interface StringFilter {
  eq?: string | null;
  neq?: string | null;
  in?: string[] | null;
  notIn?: string[] | null;
  contains?: string | null;
  startsWith?: string | null;
  isEmpty?: boolean | null;
  isNotEmpty?: boolean | null;
}

export interface IdFilter {
  eq?: string | null;
  neq?: string | null;
  in?: string[] | null;
  notIn?: string[] | null;
}

export interface PhoneFilter {
  eq?: string | null;
  neq?: string | null;
  in?: string[] | null;
  contains?: string | null;
  isEmpty?: boolean | null;
  isNotEmpty?: boolean | null;
}

interface ComparisonFilter<T> {
  eq?: T | null;
  neq?: T | null;
  in?: T[] | null;
  notIn?: T[] | null;
  lt?: T | null;
  lte?: T | null;
  gt?: T | null;
  gte?: T | null;
  /** Exactly two values, both ends inclusive, the first not after the second. */
  between?: T[] | null;
  isEmpty?: boolean | null;
  isNotEmpty?: boolean | null;
}

/** Whole numbers: a count, an amount of đồng. */
export type WholeNumberFilter = Omit<ComparisonFilter<number>, 'isEmpty' | 'isNotEmpty'>;

/** A loyalty tier by name. */
export interface TierFilter {
  eq?: string | null;
  neq?: string | null;
  in?: string[] | null;
  notIn?: string[] | null;
  isEmpty?: boolean | null;
  isNotEmpty?: boolean | null;
}

/** Calendar dates as 'YYYY-MM-DD'. */
export type DateFilter = ComparisonFilter<string>;

/** Instants; a filter read back from JSON may carry ISO-8601 strings with a zone instead. */
export type DateTimeFilter = ComparisonFilter<Date>;

export interface EnumFilter<T extends string> {
  eq?: T | null;
  neq?: T | null;
  in?: T[] | null;
  notIn?: T[] | null;
  isEmpty?: boolean | null;
  isNotEmpty?: boolean | null;
}

export interface TagsFilter {
  containsAny?: string[] | null;
  containsAll?: string[] | null;
  isEmpty?: boolean | null;
  isNotEmpty?: boolean | null;
}

export type FilterValue = string | number | boolean;

export interface CustomFieldFilter {
  key: string;
  eq?: FilterValue | null;
  neq?: FilterValue | null;
  in?: FilterValue[] | null;
  notIn?: FilterValue[] | null;
  lt?: FilterValue | null;
  lte?: FilterValue | null;
  gt?: FilterValue | null;
  gte?: FilterValue | null;
  between?: FilterValue[] | null;
  contains?: string | null;
  startsWith?: string | null;
  containsAny?: FilterValue[] | null;
  containsAll?: FilterValue[] | null;
  isEmpty?: boolean | null;
  isNotEmpty?: boolean | null;
}

/** Conditions on the channels a customer is opted out of (the six MarketingChannel names). */
export interface ChannelsFilter {
  containsAny?: string[] | null;
  containsAll?: string[] | null;
  isEmpty?: boolean | null;
  isNotEmpty?: boolean | null;
}

export interface CustomerPosition {
  createdAt: Date;
  id: string;
}

/** Inclusive bounds in (created_at, id) order. */
export interface RangeFilter {
  from?: CustomerPosition | null;
  to?: CustomerPosition | null;
}

export type Gender = 'MALE' | 'FEMALE' | 'OTHER';
export type CustomerType = 'VISITOR' | 'LEAD' | 'CUSTOMER';
export type CustomerGroup = 'PRIORITY' | 'RESTRICTED';

export interface CustomerFilterInput {
  and?: CustomerFilterInput[] | null;
  or?: CustomerFilterInput[] | null;
  not?: CustomerFilterInput | null;
  id?: IdFilter | null;
  name?: StringFilter | null;
  email?: StringFilter | null;
  address?: StringFilter | null;
  city?: StringFilter | null;
  timezone?: StringFilter | null;
  assignedStaff?: StringFilter | null;
  phone?: PhoneFilter | null;
  birthday?: DateFilter | null;
  createdAt?: DateTimeFilter | null;
  updatedAt?: DateTimeFilter | null;
  gender?: EnumFilter<Gender> | null;
  type?: EnumFilter<CustomerType> | null;
  group?: EnumFilter<CustomerGroup> | null;
  tags?: TagsFilter | null;
  labels?: TagsFilter | null;
  externalId?: StringFilter | null;
  /** Orders neither cancelled nor returned; 0 without orders. */
  orderCount?: WholeNumberFilter | null;
  /** Whole đồng; 0 without orders. */
  totalSpent?: WholeNumberFilter | null;
  /** Missing without orders. */
  lastOrderAt?: DateTimeFilter | null;
  /** The loyalty tier's name; empty without a tier. */
  tier?: TierFilter | null;
  /** The loyalty tier's rank, 1 = the lowest; 0 without a tier. */
  tierRank?: WholeNumberFilter | null;
  /** The marketing channels the customer is opted out of (consent/). */
  optedOutChannels?: ChannelsFilter | null;
  custom?: CustomFieldFilter[] | null;
  /** The id of a saved list: its filter applies here, as if written in place. */
  inList?: string | null;
  range?: RangeFilter | null;
}

export type CustomFieldType =
  'TEXT' | 'NUMBER' | 'DATE' | 'BOOLEAN' | 'SELECT' | 'MULTI_SELECT' | 'TABLE';

export interface CustomFieldDef {
  key: string;
  type: CustomFieldType;
  /** The allowed values of a SELECT or MULTI_SELECT field. */
  options?: string[];
}

export interface FilterContext {
  /** The SQL alias of the customer table in the caller's query, e.g. 'c'. */
  alias: string;
  /** Path prefix for `extensions.field` in errors; default 'filter'. */
  root?: string;
  customFields: ReadonlyMap<string, CustomFieldDef>;
  /** Saved lists' filters by id, pre-loaded by the caller (see listIdsIn). */
  lists: ReadonlyMap<string, CustomerFilterInput>;
  /** Nesting levels of and/or/not/inList allowed; default 8. */
  maxDepth?: number;
  /** Normalises phones; default toE164. A request passes its memo (see phone-memo.ts). */
  e164?: (typed: string) => string | null;
  /**
   * Told when the filter searches text (`contains` on a folded *_search column): the
   * list then tries the newest customers first (customer.list.ts).
   */
  onTextSearch?: () => void;
  /**
   * Tags and labels compared by their values' hashes (`tag_hashes`, `label_hashes`,
   * migration 1767100000100), which customer_stats_idx holds: customerStats' filters
   * then need no row. The list, exports and bulk work compare the values (their GIN
   * indexes find a tag's customers).
   */
  hashedValues?: boolean;
}
