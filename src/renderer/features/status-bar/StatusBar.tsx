/** The bottom bar, tinted with the environment: database, server, head, lock (with Unlock), drift. */
import { useState } from 'react';
import { useApp, useAppStore } from '../../store/store-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { plural } from '../../format/format';
import { DriftDialog } from './DriftDialog';
import { MiddleTruncate } from '../../components/MiddleTruncate';
import { ThemeSwitch } from '../shell/ThemeSwitch';
import type { ErrorInfo } from '../../../shared/contract';

/** "15.20 (Debian 15.20-0+deb12u1)" → "15.20": the packaging details stay in the tooltip. */
function shortVersion(version: string): string {
  return version.split(' ')[0];
}

const NONE: never[] = [];

export function StatusBar({ onShortcuts }: { onShortcuts: () => void }) {
  const profile = useApp((s) => s.profiles.find((p) => p.id === s.activeProfileId));
  const status = useApp((s) => s.status);
  const statusError = useApp((s) => s.statusError);
  const statusLoading = useApp((s) => s.statusLoading);
  const drift = useApp((s) => s.drift);
  const interrupted = useApp((s) => s.status?.interrupted ?? NONE);
  const runHere = useApp((s) => (s.run?.running && s.run.profileId === s.activeProfileId ? s.run : null));
  const store = useAppStore();
  const [unlocking, setUnlocking] = useState(false);
  const [showDrift, setShowDrift] = useState(false);
  const [unlockError, setUnlockError] = useState<ErrorInfo | null>(null);
  // After the timeline in the page, so they cost no Tab stops on the way to it.
  const tools = (
    <span className="sb-tools">
      <button type="button" className="sb-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" aria-keyshortcuts="?" onClick={onShortcuts}>
        ⌨ ?
      </button>
      <ThemeSwitch />
    </span>
  );
  if (!profile) return <footer className="status-bar">{tools}</footer>;
  const lock = status?.lock;
  const live = lock?.state === 'live';
  return (
    <footer className="status-bar" data-env={profile.environment} aria-label="Status">
      <span className="sb-item sb-env">{profile.environment}</span>
      {/* The head is in the header; here the database name gets the room, cut in the middle if it must be. */}
      <span className="sb-item sb-db mono" title={`Database ${status?.database ?? profile.database ?? ''}`}>
        <MiddleTruncate text={status?.database ?? profile.database ?? ''} tail={10} />
      </span>
      {status && (
        <span className="sb-item sb-fixed" title={`Server version: ${status.serverVersion}`}>
          PostgreSQL {shortVersion(status.serverVersion)}
        </span>
      )}
      {status && (
        <span className="sb-item sb-fixed">
          {status.applied.length} applied · {status.pending.length} pending
        </span>
      )}
      {statusLoading && <span className="sb-item faint">refreshing…</span>}
      {statusError && !statusLoading && <span className="sb-item sb-error" title={statusError.hint}>{statusError.message}</span>}
      <span className="sb-spacer" />
      {interrupted.length > 0 && (
        <button type="button" className="sb-button sb-warn" onClick={() => store.getState().openRepair(interrupted[0].name)}
          aria-label={`${plural(interrupted.length, 'interrupted migration')}: repair`}
          title={`${plural(interrupted.length, 'interrupted migration')}: repair\n${interrupted.map((e) => e.summary).join('\n')}`}>
          ⚠ {interrupted.length} interrupted
        </button>
      )}
      {drift?.drifted && (
        <button type="button" className="sb-button sb-warn" onClick={() => setShowDrift(true)}>
          Drift: {plural(drift.diff.changes.length, 'change')} outside migrations
        </button>
      )}
      {runHere ? (
        <span className="sb-item sb-run" title="Stepstone holds the migration lock while this run goes; it is released when the run ends">
          Lock held by this run ({runHere.steps.filter((st) => st.state === 'done').length} of {runHere.steps.length})
        </span>
      ) : (
        lock && (
          <span className={`sb-item${lock.state !== 'free' ? ' sb-warn' : ''}`}>
            {lock.state === 'free' ? 'Unlocked' : live ? 'Locked by a running migration' : 'Locked (stale: left by a crash)'}
          </span>
        )
      )}
      {lock && lock.state !== 'free' && !runHere && (
        <button type="button" className="sb-button" onClick={() => setUnlocking(true)}>
          Unlock
        </button>
      )}
      {unlocking && lock && (
        <ConfirmDialog
          title={live ? 'Force the lock open?' : 'Release the stale lock?'}
          actionLabel={live ? 'Force unlock' : 'Unlock'}
          environment={profile.environment}
          onClose={() => {
            setUnlocking(false);
            setUnlockError(null);
          }}
          onConfirm={async () => {
            const error = await store.getState().releaseLock(live);
            setUnlockError(error);
            return error;
          }}
        >
          {live ? (
            <>
              <p className="notice notice-warn">
                A running process holds this lock
                {lock.holders.length > 0 && `: ${lock.holders.map((h) => `${h.applicationName || 'unknown'} (pid ${h.pid}${h.user ? `, ${h.user}` : ''})`).join(', ')}`}. Forcing it lets
                two migrations run at once and can corrupt the schema.
              </p>
              <p>Force only when you know that process is stuck.</p>
            </>
          ) : (
            <p>Knex’s lock row says locked, but no process holds it: a crash left it behind. Releasing it lets migrations run again.</p>
          )}
          {unlockError && <ErrorMessage error={unlockError} />}
        </ConfirmDialog>
      )}
      {tools}
      {showDrift && drift && <DriftDialog drift={drift} onClose={() => setShowDrift(false)} />}
    </footer>
  );
}
