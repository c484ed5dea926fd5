// The audit trail (docs/audit.md): audit_entry, written by recordAudit in contacts'
// own actions (audit.store.ts is contacts' audit sink) and from the other services'
// audit events; `auditLog` for admins; the retention prune.
import { DEFAULT_AUDIT_RETENTION_DAYS } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { auditAccess, auditResolvers } from './audit.resolvers';
import { startAuditRetention } from './audit.retention';
import { auditEventHandlers } from './audit.store';
import { AuditEntry1766400000100 } from './migrations/1766400000100-AuditEntry';

export const auditModule: DomainModule = {
  name: 'audit',
  resolvers: [auditResolvers],
  access: auditAccess,
  migrations: [AuditEntry1766400000100],
  consumes: auditEventHandlers,
  workers: ({ db, logger, auditRetentionDays }) =>
    startAuditRetention(db, logger, auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS),
};
