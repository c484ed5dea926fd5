/** The loyalty domain's error codes (GraphQL `extensions.code`). */
export enum LoyaltyError {
  /** Points asked of a workspace that has set up no program. */
  NO_PROGRAM = 'LOYALTY_NO_PROGRAM',
}
