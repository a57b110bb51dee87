/** Above the timeline: check the pending migrations (lint) and "Test rollbacks…" (the stairway on a shadow database). */
import { useApp, useAppStore } from '../../store/store-context';
import { Button } from '../../components/Button';
import { plural } from '../../format/format';
import { TestRollbacksDialog } from '../checks/TestRollbacksDialog';

export function TimelineToolbar() {
  const store = useAppStore();
  const pending = useApp((s) => s.status?.pending.length ?? 0);
  const lint = useApp((s) => (s.lint.profileId === s.activeProfileId ? s.lint : null));
  const running = useApp((s) => s.run?.running ?? false);
  const testOpen = useApp((s) => s.rollbackTest !== null);
  let summary = '';
  if (lint?.loading) summary = 'Checking pending migrations (dry run, rolled back)…';
  else if (lint?.error) summary = `Checks failed: ${lint.error.message}`;
  else if (lint?.data) summary = lint.data.errors || lint.data.warnings ? `Pending: ${plural(lint.data.errors, 'lint error')}, ${plural(lint.data.warnings, 'warning')}` : 'Pending migrations: no lint findings';
  return (
    <div className="timeline-toolbar" role="toolbar" aria-label="Timeline checks">
      {pending > 0 && (
        <Button size="small" disabled={running || lint?.loading} onClick={() => void store.getState().loadLint(true)}>
          {lint?.data ? 'Check pending again' : 'Check pending migrations'}
        </Button>
      )}
      <Button size="small" disabled={running} onClick={() => store.getState().openRollbackTest()}>
        Test rollbacks…
      </Button>
      <Button size="small" disabled={running} onClick={() => store.getState().openGenerator()}>
        New migration from changes…
      </Button>
      {summary && (
        <span className={`timeline-toolbar-summary${lint?.error ? ' is-error' : ''}`} role="status">
          {summary}
        </span>
      )}
      {testOpen && <TestRollbacksDialog />}
    </div>
  );
}
