/** SQL and schema change of a pending migration, from a dry run of "upgrade to here". */
import { useEffect } from 'react';
import { useApp, useAppStore } from '../../store/store-context';
import { CodeView } from '../../components/CodeView';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SchemaDiffView } from '../../components/SchemaDiffView';

/** Statements as one reviewable script. */
export function statementsScript(statements: { sql: string; bindings: unknown[] }[]): string {
  return statements
    .map((s) => {
      const sql = s.sql.trim().replace(/;?$/, ';');
      return s.bindings.length > 0 ? `${sql}\n-- bindings: ${JSON.stringify(s.bindings)}` : sql;
    })
    .join('\n\n');
}

export function PreviewTab({ name, pending, part }: { name: string; pending: boolean; part: 'sql' | 'schema' }) {
  const preview = useApp((s) => s.previews[name]);
  const store = useAppStore();
  useEffect(() => {
    if (pending) void store.getState().loadPreview(name);
  }, [name, pending, store]);
  if (!pending) {
    return <p className="muted">Previews are for pending migrations. This one is applied; its runs are in the Runs tab.</p>;
  }
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
          <CodeView code={statementsScript(migration.statements)} language="sql" label={`SQL of ${name}`} />
        )
      ) : migration.diff ? (
        <SchemaDiffView diff={migration.diff} />
      ) : (
        <p className="muted">No schema change captured for this preview.</p>
      )}
    </div>
  );
}
