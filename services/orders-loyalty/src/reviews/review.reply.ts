// replyToReview: the seller answers a review here; a marketplace connector sends the
// reply later (status PENDING_SEND until then). The caller needs customers.write (the
// rule) and sight of the review's customer, which is its order's customer now: staff
// only reviews of their customers' orders, and a review of no customer only roles
// that see every customer. A review out of sight is NOT_FOUND, as one that does not
// exist or is of another workspace. A PENDING_SEND reply may be replaced; a SENT one
// is on the marketplace and is not changed here.
import type { DataSource } from 'typeorm';
import { PublicErrorCode, badInput, isUuid, publicError } from '@customer-graph/runtime';
import type { RequestAccess } from '@customer-graph/runtime';
import { BadReview, MAX_REPLY, requiredText } from './review.input';
import { REVIEW_FROM, REVIEW_SELECT } from './review.row';
import type { ReviewRow } from './review.row';

function replyText(text: string): string {
  try {
    return requiredText(text, 'text', MAX_REPLY);
  } catch (error) {
    if (error instanceof BadReview) throw badInput('text', `the reply ${error.message}`);
    throw error;
  }
}

export async function replyToReview(
  db: DataSource,
  workspaceId: string,
  access: RequestAccess,
  id: string,
  text: string,
): Promise<ReviewRow> {
  const reply = replyText(text);
  const noReview = () => publicError(PublicErrorCode.NOT_FOUND, `no review ${id}`, { field: 'id' });
  if (!isUuid(id)) throw noReview();
  const readReview = async (tx: { query: DataSource['query'] }, lock: boolean) => {
    const [row]: ReviewRow[] = await tx.query(
      `SELECT ${REVIEW_SELECT} FROM ${REVIEW_FROM}
        WHERE r.workspace_id = $1 AND r.id = $2 ${lock ? 'FOR UPDATE OF r' : ''}`,
      [workspaceId, id],
    );
    return row;
  };
  return db.transaction(async (tx) => {
    // Locked: two replies to one review are decided one after the other.
    const review = await readReview(tx, true);
    const seen =
      review &&
      (review.customerId
        ? await access.seesCustomer(review.customerId)
        : access.scope.kind === 'all');
    if (!seen) throw noReview();
    if (review.replyStatus === 'SENT') {
      throw badInput(
        'id',
        `review ${id} already has a reply on the marketplace: it cannot be changed here`,
      );
    }
    await tx.query(
      `UPDATE order_review SET reply_text = $3, reply_status = 'PENDING_SEND',
         replied_by = $4, replied_at = now(), updated_at = now()
        WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id, reply, access.identity.userId],
    );
    return readReview(tx, false);
  });
}
