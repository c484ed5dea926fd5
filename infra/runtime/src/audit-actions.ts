// Every action the audit trail records, in one place (docs/audit.md says the same, with
// the target type and detail of each). contacts' SDL repeats it as `enum AuditAction`
// (a test keeps the two equal). Adding one: here, in the SDL, in docs/audit.md, and
// contacts deployed before the service that sends it (contacts refuses, to its
// dead-letter topic, an action it does not know).

export enum AuditAction {
  // contacts
  /** createCustomer. Customer [id]. */
  CUSTOMER_CREATED = 'CUSTOMER_CREATED',
  /** updateCustomer. Customer [id]; detail.fields: the names of the fields changed. */
  CUSTOMER_UPDATED = 'CUSTOMER_UPDATED',
  /**
   * deleteCustomers by ids: Customer [the ids], detail.deleted; by a filter, one entry
   * per job when it is started: BulkJob [job id], detail.total, filter kind and fields.
   */
  CUSTOMERS_DELETED = 'CUSTOMERS_DELETED',
  /**
   * updateCustomers (ids) or startBulkJob (filter): as CUSTOMERS_DELETED, with the
   * action's kinds (addTags, removeTags counts; assignStaff, setGroup).
   */
  CUSTOMERS_BULK_UPDATED = 'CUSTOMERS_BULK_UPDATED',
  /** mergeCustomers. Customer [survivor, ...merged]; detail.mergeId, detail.merged. */
  CUSTOMERS_MERGED = 'CUSTOMERS_MERGED',
  /** markCustomersByPhones. CustomerGroup [group]; detail: counts only. */
  CUSTOMERS_GROUP_MARKED = 'CUSTOMERS_GROUP_MARKED',
  /** createCustomField. CustomField [key]; detail.type. */
  CUSTOM_FIELD_CREATED = 'CUSTOM_FIELD_CREATED',
  /** deleteCustomField (every customer's value of it goes). CustomField [key]. */
  CUSTOM_FIELD_DELETED = 'CUSTOM_FIELD_DELETED',
  /** createCustomerList. CustomerList [id]; detail: the filter's kind and fields. */
  CUSTOMER_LIST_CREATED = 'CUSTOMER_LIST_CREATED',
  /** deleteCustomerList. CustomerList [id]. */
  CUSTOMER_LIST_DELETED = 'CUSTOMER_LIST_DELETED',
  /** A customer import, when it is started (docs/imports.md). ImportJob [id]; detail: format, rows, dryRun. */
  CUSTOMERS_IMPORTED = 'CUSTOMERS_IMPORTED',
  /** An export of many customers, when started (docs/exports.md). ExportJob [id]; detail: format, target (FILTER, LIST, SPLIT_PART), columns (how many). */
  CUSTOMERS_EXPORTED = 'CUSTOMERS_EXPORTED',
  /** eraseCustomer (docs/privacy.md). Customer [id]; detail: erasureId, mergedIds (how many merged-away ids went with it). */
  CUSTOMER_ERASED = 'CUSTOMER_ERASED',
  /** exportCustomerData (docs/privacy.md). Customer [id]; detail.exportId. */
  CUSTOMER_DATA_EXPORTED = 'CUSTOMER_DATA_EXPORTED',
  // followers
  /** connectZaloOA (a new OA, or the OA re-keyed). ZaloOA [oa id]. */
  ZALO_OA_CONNECTED = 'ZALO_OA_CONNECTED',
  // orders-loyalty
  /** connectShop. Shop [source:shop id]. */
  SHOP_CONNECTED = 'SHOP_CONNECTED',
  /** disconnectShop, when a connection was removed. Shop [source:shop id]. */
  SHOP_DISCONNECTED = 'SHOP_DISCONNECTED',
  /** adjustPoints. Customer [id]; detail.points (signed). The reason text is not kept. */
  LOYALTY_POINTS_ADJUSTED = 'LOYALTY_POINTS_ADJUSTED',
  /** redeemPoints. Customer [id]; detail.points. */
  LOYALTY_POINTS_REDEEMED = 'LOYALTY_POINTS_REDEEMED',
  /** createVoucherCampaign. VoucherCampaign [id]; detail.valueType. */
  VOUCHER_CAMPAIGN_CREATED = 'VOUCHER_CAMPAIGN_CREATED',
  // marketing
  /** startCampaign by staff (not the scheduler). Campaign [id]; detail.channel. */
  MARKETING_CAMPAIGN_STARTED = 'MARKETING_CAMPAIGN_STARTED',
  /** cancelCampaign. Campaign [id]; detail.status: what it was before. */
  MARKETING_CAMPAIGN_CANCELLED = 'MARKETING_CAMPAIGN_CANCELLED',
  /** setChannelConsent by staff. Customer [id]; detail.channel, detail.optedOut. */
  CHANNEL_CONSENT_CHANGED = 'CHANNEL_CONSENT_CHANGED',
}

export const AUDIT_ACTIONS: readonly AuditAction[] = Object.values(AuditAction);
