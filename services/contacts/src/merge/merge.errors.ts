// The merge domain's refusals, one code each, mapped onto the public codes in one place
// (mergeError): a client sees BAD_USER_INPUT or NOT_FOUND with `extensions.field`
// naming the argument (`mergedIds[2]`, `choices[0].from`), and a limit with `limit` and
// `actual`. A refusal is thrown before anything is written, or rolls the merge back.
import { publicError, PublicErrorCode } from '@customer-graph/runtime';
import type { GraphQLError } from 'graphql';

export enum MergeErrorCode {
  /** Not an id, or the same id twice. */
  BAD_ID = 'BAD_ID',
  /** None, or more than MAX_MERGED, ids to merge. */
  BAD_COUNT = 'BAD_COUNT',
  /** The survivor is also among the ids to merge. */
  SURVIVOR_MERGED = 'SURVIVOR_MERGED',
  /** No such customer in the workspace (another workspace's id included). */
  UNKNOWN_CUSTOMER = 'UNKNOWN_CUSTOMER',
  /** The customer was merged into another already. */
  ALREADY_MERGED = 'ALREADY_MERGED',
  /** A choice names a field that cannot be chosen, twice one field, or a customer not in the merge. */
  BAD_CHOICE = 'BAD_CHOICE',
  /** Together the customers hold more than one customer may (phones, tags, labels). */
  OVER_LIMIT = 'OVER_LIMIT',
}

export function mergeError(
  code: MergeErrorCode,
  message: string,
  extensions: { field: string; limit?: number; actual?: number },
): GraphQLError {
  switch (code) {
    case MergeErrorCode.UNKNOWN_CUSTOMER:
      return publicError(PublicErrorCode.NOT_FOUND, message, extensions);
    case MergeErrorCode.BAD_ID:
    case MergeErrorCode.BAD_COUNT:
    case MergeErrorCode.SURVIVOR_MERGED:
    case MergeErrorCode.ALREADY_MERGED:
    case MergeErrorCode.BAD_CHOICE:
    case MergeErrorCode.OVER_LIMIT:
      return publicError(PublicErrorCode.BAD_USER_INPUT, message, extensions);
  }
}
