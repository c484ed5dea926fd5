// setLoyaltyProgram: the program checked whole, stored with its revision bumped, and the
// re-evaluation of every customer queued, in one transaction.
import type { DataSource } from 'typeorm';
import type { LoyaltyProgramInput } from '../generated/graphql';
import { checkProgram } from './loyalty.program';
import { queueReevaluation } from './loyalty.job';

export async function setProgram(
  db: DataSource,
  workspaceId: string,
  userId: string,
  input: LoyaltyProgramInput,
) {
  const program = checkProgram({ ...input, earnPerAmount: Number(input.earnPerAmount) });
  return db.transaction(async (tx) => {
    const [row]: { revision: string }[] = await tx.query(
      `INSERT INTO loyalty_program AS p (workspace_id, program, revision, updated_by)
       VALUES ($1, $2, 1, $3)
       ON CONFLICT (workspace_id) DO UPDATE
         SET program = EXCLUDED.program, revision = p.revision + 1,
             updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING revision`,
      [workspaceId, JSON.stringify(program), userId],
    );
    const revision = Number(row.revision);
    const jobId = await queueReevaluation(tx, workspaceId, revision);
    const [job] = await tx.query(
      `SELECT id, status, total, processed FROM loyalty_reevaluation WHERE id = $1`,
      [jobId],
    );
    return { program: { program, revision }, reevaluation: job };
  });
}
