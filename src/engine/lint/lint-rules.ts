/**
 * The lint rules: each with an id (what suppression comments and `--json` name), a one-line
 * title for help and the Checks tab, and the safe alternative. Messages are built per finding
 * by evaluate-rules.ts; this file holds what does not change.
 */

export const LINT_RULES = {
  'index-not-concurrent': {
    title: 'Index created without CONCURRENTLY on an existing table',
    fix: 'Create it with CREATE INDEX CONCURRENTLY (knex: knex.raw) in a migration of its own that exports `config = { transaction: false }`; it then blocks neither reads nor writes.',
  },
  'constraint-not-valid': {
    title: 'Foreign key or check added without NOT VALID on an existing table',
    fix: 'Add it with NOT VALID (no scan, brief lock), then in a later migration run ALTER TABLE … VALIDATE CONSTRAINT …, which scans under SHARE UPDATE EXCLUSIVE and blocks no reads or writes.',
  },
  'set-not-null': {
    title: 'SET NOT NULL on an existing column',
    fix: 'Add CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it in a later migration, then SET NOT NULL (PostgreSQL 12+ skips the scan when a valid check proves it) and drop the check.',
  },
  'alter-column-type': {
    title: 'Column type change that rewrites the table',
    fix: 'Add a new column of the new type, backfill it in batches, switch the code over, then drop the old column; or choose a binary-compatible change (e.g. varchar(n) to text) that needs no rewrite.',
  },
  'add-column-rewrite': {
    title: 'Added column that rewrites the table',
    fix: 'Add the column without the volatile default (nullable, or with a constant default), set the default for new rows with ALTER COLUMN … SET DEFAULT, and backfill existing rows in batches.',
  },
  'table-rewrite': {
    title: 'Statement that rewrites the whole table',
    fix: 'Rewrites hold ACCESS EXCLUSIVE for their whole duration: run it in a maintenance window, or reach the same schema with steps that do not rewrite.',
  },
  'drop-column': {
    title: 'Dropping a column (data loss)',
    fix: 'Stop reading and writing the column in the code and deploy that first; keep a backup; then drop it. Its data cannot be restored by the down migration.',
  },
  'drop-table': {
    title: 'Dropping a table (data loss)',
    fix: 'Make sure no code uses the table any more and a backup holds its rows; consider renaming it aside first and dropping it in a later release.',
  },
  'rename-column': {
    title: 'Renaming a column (breaks code still running against it)',
    fix: 'Add the new column, write to both, backfill, move reads over, then drop the old one; or rename only when no running code uses the old name.',
  },
  'rename-table': {
    title: 'Renaming a table (breaks code still running against it)',
    fix: 'Rename it and create a view under the old name for the running code, or rename only when no running code uses the old name.',
  },
  'unique-without-index': {
    title: 'Unique constraint or primary key added without a prebuilt unique index',
    fix: 'Build the index first with CREATE UNIQUE INDEX CONCURRENTLY (non-transactional migration), then ADD CONSTRAINT … UNIQUE USING INDEX … (or PRIMARY KEY USING INDEX), which is quick.',
  },
  'whole-table-write': {
    title: 'UPDATE or DELETE of a whole table in one transaction',
    fix: 'Backfill in batches (e.g. 10,000 rows by primary key range per statement), each in its own transaction, from a non-transactional migration or a script.',
  },
  'missing-lock-timeout': {
    title: 'ACCESS EXCLUSIVE lock taken without a lock_timeout',
    fix: "Start the migration with `await knex.raw(\"set local lock_timeout = '5s'\")` (or set lock_timeout for the migrating role) so it gives up instead of queueing every query on the table behind it; retry later.",
  },
  'concurrently-in-transaction': {
    title: 'CONCURRENTLY in a migration that runs in a transaction',
    fix: 'Export `config = { transaction: false }` from the migration (and keep only the concurrent statement in it): PostgreSQL refuses CONCURRENTLY inside a transaction block.',
  },
  'exclusive-locks-held': {
    title: 'Several ACCESS EXCLUSIVE locks held together for long in one transaction',
    fix: 'Split the work into migrations that each lock one table briefly, or run the plan with one transaction per migration (--per-migration).',
  },
  'unparsable-statement': {
    title: 'Statement the PostgreSQL parser could not read',
    fix: 'Check the SQL; the other rules could not look at this statement (its traced locks are still reported).',
  },
  'dry-run-failed': {
    title: 'Migration that fails in the dry run',
    fix: 'Fix the migration: it would fail the same way when run for real.',
  },
  'not-previewed': {
    title: 'Migration the dry run could not run',
    fix: 'Give the database user CREATEDB so non-transactional migrations can be previewed on a scratch copy, or fix the migration that failed before it.',
  },
  'suppression-without-reason': {
    title: 'Suppression comment without a reason',
    fix: 'Write it as `// stepstone-lint-ignore <rule> -- <why this is safe here>`; without a reason it suppresses nothing.',
  },
  'suppression-unknown-rule': {
    title: 'Suppression comment naming a rule that does not exist',
    fix: 'Use one of the rule ids `stepstone lint --rules` lists (e.g. index-not-concurrent); the comment suppresses nothing.',
  },
} as const satisfies Record<string, { title: string; fix: string }>;

export type LintRuleId = keyof typeof LINT_RULES;

/** Rules about suppression comments themselves cannot be suppressed. */
export const UNSUPPRESSIBLE = new Set<LintRuleId>(['suppression-without-reason', 'suppression-unknown-rule']);

export function isLintRuleId(value: string): value is LintRuleId {
  return Object.prototype.hasOwnProperty.call(LINT_RULES, value);
}
