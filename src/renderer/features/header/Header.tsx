/** The working window's header: which database this is, its environment, its head, and the two main actions. */
import { useApp, useAppStore } from '../../store/store-context';
import { Button } from '../../components/Button';
import { EnvironmentBadge } from '../../components/EnvironmentBadge';
import { splitMigrationName } from '../../store/timeline-model';

export function Header({ onNewMigration }: { onNewMigration: () => void }) {
  const profile = useApp((s) => s.profiles.find((p) => p.id === s.activeProfileId));
  const status = useApp((s) => s.status);
  const running = useApp((s) => s.run?.running ?? false);
  const runningHere = useApp((s) => (s.run?.running ?? false) && s.run?.profileId === s.activeProfileId);
  const store = useAppStore();
  if (!profile) return <header className="header" />;
  const database = status?.database ?? profile.database ?? '';
  const head = status?.head ? splitMigrationName(status.head) : null;
  const disabled = !status || running;
  // One run at a time: on this database until it ends, and elsewhere too (the engine's lock is per database, the app's run view is one).
  const busyTitle = runningHere ? 'A run is in progress on this database: wait for it to end' : running ? 'Another connection has a run in progress: one run at a time' : null;
  return (
    <header className="header" data-env={profile.environment}>
      <div className="header-identity">
        <h1 className="header-name" title={profile.name}>{profile.name}</h1>
        <EnvironmentBadge environment={profile.environment} />
        {database && <span className="header-db mono" title="Database">{database}</span>}
        <span className="header-head" title={status?.head ?? 'No migration applied yet'}>
          <span className="faint">head</span>{' '}
          {head ? (
            <span className="mono">
              <span className="tl-prefix">{head.prefix}</span>
              {head.rest}
            </span>
          ) : (
            <span className="muted">{status ? 'empty' : '…'}</span>
          )}
        </span>
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
