/** SQL and schema change of a pending migration, from a dry run of "upgrade to here". */
import { useEffect } from 'react';
import { useApp, useAppStore } from '../../store/store-context';
import { CodeView } from '../../components/CodeView';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SchemaDiffView } from '../../components/SchemaDiffView';
import { buildScript } from '../../format/sql-script';
import type { DryRunMigration } from '../../../shared/contract';
import { AppliedEvidenceTab } from '../evidence/AppliedEvidenceTab';

/** The index of the statement a failed preview stopped at (the last one sent), or null. */
export function failedStatementIndex(migration: DryRunMigration): number | null {
  if (!migration.error || migration.error.code === 'DRY_RUN_BUSY' || migration.statements.length === 0) return null;
  return migration.statements.length - 1;
}

export function PreviewTab({ name, pending, part }: { name: string; pending: boolean; part: 'sql' | 'schema' }) {
  const preview = useApp((s) => s.previews[name]);
  const store = useAppStore();
  const missing = preview === undefined;
  useEffect(() => {
    if (pending && missing) void store.getState().loadPreview(name);
  }, [name, pending, missing, store]);
  // Applied: what the run that applied it kept, not a preview.
  if (!pending) return <AppliedEvidenceTab name={name} part={part} />;
  if (!preview || preview.loading) return <p className="muted">Dry-running the upgrade to this migration (rolled back afterwards)…</p>;
  if (preview.error) return <ErrorMessage error={preview.error} title="No preview" />;
  const migration = preview.data;
  if (!migration) return null;
  if (migration.preview === 'skipped') return <p className="muted">No preview: {migration.reason ?? 'the engine skipped it.'}</p>;
  return (
    <div className="detail-preview">
      {migration.error && <ErrorMessage error={migration.error} title="The dry run failed here" />}
      {!migration.transactional && (
        <p className="notice notice-warn">Runs outside a transaction: a failure midway leaves its earlier statements applied.</p>
      )}
      {part === 'sql' ? (
        migration.statements.length === 0 ? (
          <p className="muted">This migration runs no SQL.</p>
        ) : (
          <MigrationSql migration={migration} label={`SQL of ${name}`} />
        )
      ) : migration.diff ? (
        <SchemaDiffView diff={migration.diff} />
      ) : (
        <p className="muted">No schema change captured for this preview.</p>
      )}
    </div>
  );
}

/** A migration's statements, the failing one highlighted and in view. */
export function MigrationSql({ migration, label }: { migration: DryRunMigration; label: string }) {
  const script = buildScript([{ key: migration.name, statements: migration.statements, markStatement: failedStatementIndex(migration) }]);
  return <CodeView code={script.text} language="sql" label={label} highlightLines={script.marked} scrollToLine={script.marked[0] ?? null} />;
}
