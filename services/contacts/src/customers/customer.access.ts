// Who may do what with customers (issue 5, seed 001): admin and editor read and write
// every customer; staff read and write only the customers assigned to them; analyst
// read only; `platform` (our operators) has no customer access. Enforced here, from
// the signed context, whatever the gateway let through.
import { requireRole } from '@customer-graph/runtime';
import type { Identity } from '@customer-graph/runtime';

export const READ_ROLES = ['admin', 'editor', 'staff', 'analyst'] as const;
export const WRITE_ROLES = ['admin', 'editor', 'staff'] as const;
/** Workspace-wide settings: custom fields. */
export const ADMIN_ROLES = ['admin'] as const;

export function requireRead(identity: Identity, action: string): void {
  requireRole(identity, READ_ROLES, action);
}

export function requireWrite(identity: Identity, action: string): void {
  requireRole(identity, WRITE_ROLES, action);
}

/** The staff member whose customers alone the caller may see, or null for everyone's. */
export function staffScope(identity: Identity): string | null {
  return identity.role === 'staff' ? identity.userId : null;
}
