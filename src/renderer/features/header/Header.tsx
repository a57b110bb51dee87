/**
 * The working window's header: which database this is (name never cut; a long head cut in the
 * middle), its environment, its head, and the two main actions.
 */
import { useApp, useAppStore } from '../../store/store-context';
import { Button } from '../../components/Button';
import { EnvironmentBadge } from '../../components/EnvironmentBadge';
import { MiddleTruncate } from '../../components/MiddleTruncate';

export function Header({ onNewMigration }: { onNewMigration: () => void }) {
  const profile = useApp((s) => s.profiles.find((p) => p.id === s.activeProfileId));
  const status = useApp((s) => s.status);
  const running = useApp((s) => s.run?.running ?? false);
  const runningHere = useApp((s) => (s.run?.running ?? false) && s.run?.profileId === s.activeProfileId);
  const collapsed = useApp((s) => s.connectionsCollapsed);
  const store = useAppStore();
  const toggle = (
    <button
      type="button"
      className="icon-btn header-toggle"
      aria-label={collapsed ? 'Show connections' : 'Hide connections'}
      aria-expanded={!collapsed}
      aria-controls="connections-pane"
      title={collapsed ? 'Show connections' : 'Hide connections'}
      onClick={() => store.getState().toggleConnections()}
    >
      <span aria-hidden="true">☰</span>
    </button>
  );
  if (!profile) return <header className="header">{toggle}</header>;
  const database = status?.database ?? profile.database ?? '';
  const disabled = !status || running;
  // One run at a time: on this database until it ends, and elsewhere too (the app's run view is one).
  const busyTitle = runningHere ? 'A run is in progress on this database: wait for it to end' : running ? 'Another connection has a run in progress: one run at a time' : null;
  return (
    <header className="header" data-env={profile.environment}>
      {toggle}
      <div className="header-identity">
        <div className="header-line">
          <EnvironmentBadge environment={profile.environment} />
          <h1 className="header-name">{profile.name}</h1>
        </div>
        <div className="header-facts">
          {database && (
            <span className="header-db mono" title={`Database ${database}`}>
              <MiddleTruncate text={database} tail={12} />
            </span>
          )}
          <span className="header-head">
            <span className="faint">head</span>{' '}
            {status?.head ? <MiddleTruncate className="mono" text={status.head} tail={24} /> : <span className="muted">{status ? 'empty' : '…'}</span>}
          </span>
        </div>
      </div>
      <div className="header-actions">
        <Button onClick={onNewMigration} disabled={!status} title="Create a migration file from the template (n)">
          New migration…
        </Button>
        <Button
          onClick={() => void store.getState().openPlan({ kind: 'rollback', mode: 'last-batch' })}
          disabled={disabled || status?.applied.length === 0}
          title={busyTitle ?? (status?.applied.length === 0 ? 'Nothing is applied, so there is nothing to roll back' : 'Plan a rollback of the last batch (r)')}
        >
          Rollback
        </Button>
        <Button
          variant="primary"
          onClick={() => void store.getState().openPlan({ kind: 'upgrade' })}
          disabled={disabled}
          title={busyTitle ?? 'Plan an upgrade to the latest migration (u)'}
        >
          Upgrade
        </Button>
      </div>
    </header>
  );
}
