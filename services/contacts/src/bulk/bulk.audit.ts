// What a bulk action's audit entry says of it: which kinds of change, never the tags'
// or the staff member's values beyond counts and the group (a kind).
import type { AuditDetail } from '@customer-graph/runtime';
import type { JobAction } from './bulk-job.service';

export function actionDetail(action: JobAction): AuditDetail {
  if ('delete' in action) return { delete: true };
  return {
    ...(action.addTags.length > 0 && { addTags: action.addTags.length }),
    ...(action.removeTags.length > 0 && { removeTags: action.removeTags.length }),
    ...(action.assignStaff !== undefined && { assignStaff: action.assignStaff !== null }),
    ...(action.setGroup !== undefined && { setGroup: action.setGroup ?? 'NONE' }),
  };
}
