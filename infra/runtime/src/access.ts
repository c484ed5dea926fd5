// The one access policy, enforced by every subgraph on its own fields (ARCHITECTURE.md,
// "Every subgraph enforces the same access policy"). The role matrix:
//
//   capability         admin editor staff     analyst platform
//   customers.read       ✓     ✓    assigned     ✓       –      a customer's data, tabs
//   customers.readAll    ✓     ✓      –          ✓       –      what names any customer
//   customers.write      ✓     ✓    assigned     –       –
//   workspace.edit       ✓     ✓      –          –       –      shared lists, follower and customer imports, uploads
//   settings.read        ✓     ✓      ✓          ✓       ✓      names no customer
//   settings.manage      ✓     –      –          –       –      custom fields, Zalo OA
//   customers.export     ✓     ✓      –          ✓       –      files of many customers
//   customers.erase      ✓     –      –          –       –      erasure, a person's data
//   audit.read           ✓     –      –          –       –      the audit trail
//   reports.read         ✓     ✓      –          ✓       –      figures over the whole workspace
//   platform.operate     –     –      –          –       ✓      a workspace's plan
//
// Staff see and change only the customers assigned to them, in every subgraph: the
// owner of the customer record (contacts) knows assignments from its own table, the
// others from a projection of contacts' events (customer-access.module.ts). A field
// states its rule (access-guard.ts); the data a rule lets through is scoped per row
// with `customerScope`.
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { PublicErrorCode, publicError } from './errors';
import type { Identity, Role } from './identity';

export const CAPABILITIES = [
  'customers.read',
  'customers.readAll',
  'customers.write',
  'workspace.edit',
  'settings.read',
  'settings.manage',
  'customers.export',
  'customers.erase',
  'audit.read',
  'reports.read',
  'platform.operate',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const ROLE_CAPABILITIES: Record<Role, readonly Capability[]> = {
  admin: [
    'customers.read',
    'customers.readAll',
    'customers.write',
    'workspace.edit',
    'settings.read',
    'settings.manage',
    'customers.export',
    'customers.erase',
    'audit.read',
    'reports.read',
  ],
  editor: [
    'customers.read',
    'customers.readAll',
    'customers.write',
    'workspace.edit',
    'settings.read',
    'customers.export',
    'reports.read',
  ],
  staff: ['customers.read', 'customers.write', 'settings.read'],
  analyst: [
    'customers.read',
    'customers.readAll',
    'settings.read',
    'customers.export',
    'reports.read',
  ],
  platform: ['settings.read', 'platform.operate'],
};

export function can(identity: Pick<Identity, 'role'>, capability: Capability): boolean {
  return ROLE_CAPABILITIES[identity.role].includes(capability);
}

/** The roles holding a capability, for messages. */
export function rolesWith(capability: Capability): Role[] {
  return (Object.keys(ROLE_CAPABILITIES) as Role[]).filter((r) => can({ role: r }, capability));
}

/** Refuses (FORBIDDEN, naming who may) unless the caller holds the capability. */
export function requireCapability(
  identity: Identity,
  capability: Capability,
  action: string,
): void {
  if (!can(identity, capability)) {
    throw publicError(
      PublicErrorCode.FORBIDDEN,
      `${action} needs one of the roles ${rolesWith(capability).join(', ')}; you are ${identity.role}`,
    );
  }
}

/**
 * Which customers the caller's reads and writes reach: every customer of the
 * workspace, only those assigned to one staff member, or none.
 */
export type CustomerScope =
  { kind: 'all' } | { kind: 'assigned'; staffUserId: string } | { kind: 'none' };

export function customerScope(identity: Identity): CustomerScope {
  if (!can(identity, 'customers.read')) return { kind: 'none' };
  if (identity.role === 'staff') return { kind: 'assigned', staffUserId: identity.userId };
  return { kind: 'all' };
}

/** The staff member whose customers alone the caller may see, or null for everyone's. */
export function staffScope(identity: Identity): string | null {
  const scope = customerScope(identity);
  return scope.kind === 'assigned' ? scope.staffUserId : null;
}

/**
 * Of these customer ids, the ones assigned to this staff member: how a subgraph knows
 * assignments (its own table, or the projection of contacts' events).
 */
export type AssignedCustomers = (
  db: DataSource,
  workspaceId: string,
  staffUserId: string,
  customerIds: readonly string[],
) => Promise<Set<string>>;

/** The caller's access, per request: `ctx.access`. */
export interface RequestAccess {
  identity: Identity;
  scope: CustomerScope;
  can(capability: Capability): boolean;
  /** Whether the caller may see this customer (batched per request). */
  seesCustomer(customerId: string): Promise<boolean>;
}

export function createRequestAccess(
  identity: Identity,
  db: DataSource,
  assigned: AssignedCustomers,
): RequestAccess {
  const scope = customerScope(identity);
  const visible =
    scope.kind === 'assigned'
      ? new DataLoader<string, boolean>(async (ids) => {
          const mine = await assigned(db, identity.workspaceId, scope.staffUserId, ids);
          return ids.map((id) => mine.has(id));
        })
      : undefined;
  return {
    identity,
    scope,
    can: (capability) => can(identity, capability),
    seesCustomer: async (customerId) =>
      scope.kind === 'all' ? true : scope.kind === 'none' ? false : visible!.load(customerId),
  };
}

/**
 * The rows whose customer the caller may see (a row about no customer only for those
 * who see every customer): for loaders by id, where a page is not at stake.
 */
export async function visibleRows<R>(
  access: RequestAccess,
  rows: R[],
  customerOf: (row: R) => string | null,
): Promise<R[]> {
  if (access.scope.kind === 'all') return rows;
  if (access.scope.kind === 'none') return [];
  const seen = await Promise.all(
    rows.map((row) => {
      const customerId = customerOf(row);
      return customerId ? access.seesCustomer(customerId) : false;
    }),
  );
  return rows.filter((_row, i) => seen[i]);
}
