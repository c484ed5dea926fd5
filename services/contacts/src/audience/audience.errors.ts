// Why contacts refuses to resolve an audience: the `refused` of
// contacts.audience.resolved reads `<code>: <detail>`.
export enum AudienceRefusal {
  /** Neither or both of listId and filter, or a part without splitParts or past it. */
  BAD_AUDIENCE = 'BAD_AUDIENCE',
  /** The saved list is not one of the workspace's. */
  UNKNOWN_LIST = 'UNKNOWN_LIST',
  /** The list language refuses the filter (or the list's filter), as it would a client's. */
  BAD_FILTER = 'BAD_FILTER',
}

export function refusal(code: AudienceRefusal, detail: string): string {
  return `${code}: ${detail}`;
}
