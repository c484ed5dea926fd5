import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tasks about a customer (issue 12, "Công việc"). A task belongs to one customer and
 * goes with it (ON DELETE CASCADE, as notes do). `completed_at` is set exactly when
 * the status is DONE, and a due time is never before the start: both checked by the
 * table. Every index leads with workspace_id; the ones a list pages on end with
 * (created_at DESC, id DESC), the keyset of every task list (newest first): a
 * customer's tab, an assignee's tasks ("mine", staff visibility), the whole list.
 * Open tasks by due time serve "overdue" and "due this week".
 */
export class CreateTasks1764700000510 implements MigrationInterface {
  name = 'CreateTasks1764700000510';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer_task (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        customer_id uuid NOT NULL,
        title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 500),
        description text,
        assignee text,
        start_at timestamptz(3),
        due_at timestamptz(3),
        status text NOT NULL DEFAULT 'TODO'
          CHECK (status IN ('TODO', 'IN_PROGRESS', 'DONE', 'CANCELLED')),
        completed_at timestamptz(3),
        created_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT customer_task_customer_fk FOREIGN KEY (workspace_id, customer_id)
          REFERENCES customer (workspace_id, id) ON DELETE CASCADE,
        CONSTRAINT customer_task_completed_check
          CHECK ((status = 'DONE') = (completed_at IS NOT NULL)),
        CONSTRAINT customer_task_due_check
          CHECK (due_at IS NULL OR start_at IS NULL OR due_at >= start_at)
      )`);
    const indexes = [
      `customer_task_customer_idx ON customer_task
         (workspace_id, customer_id, created_at DESC, id DESC)`,
      `customer_task_assignee_idx ON customer_task
         (workspace_id, assignee, created_at DESC, id DESC)`,
      'customer_task_workspace_idx ON customer_task (workspace_id, created_at DESC, id DESC)',
      `customer_task_open_due_idx ON customer_task (workspace_id, due_at)
         WHERE status IN ('TODO', 'IN_PROGRESS')`,
    ];
    for (const index of indexes) await q.query(`CREATE INDEX ${index}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE customer_task');
  }
}
