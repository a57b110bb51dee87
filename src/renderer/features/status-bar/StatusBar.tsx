/**
 * The bottom bar, tinted with the environment: database, server, counts, then the warnings (interrupted,
 * drift, lock with Unlock) and the tools (keyboard help, theme). It never pushes Unlock or the tools out of
 * the window: when the bar is narrow, or crowded with warnings, labels turn short (full wording in the
 * tooltip and the accessible name), the server version and counts step aside, and anything still too long
 * is cut with an ellipsis (see .sb-row in layout.css).
 */
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

/**
 * A label with a short form: `long` is the text (what textContent and tests read); `short` is drawn instead
 * when the bar is compact (tier "compact") or also crowded (tier "tight"), from a data attribute so it adds
 * no text of its own.
 */
function Label({ long, short, tier = 'compact' }: { long: string; short: string; tier?: 'compact' | 'tight' }) {
  return (
    <>
      <span className={`sb-long sb-long-${tier}`}>{long}</span>
      <span className={`sb-short sb-short-${tier}`} aria-hidden="true" data-label={short} />
    </>
  );
}

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
  if (!profile)
    return (
      <footer className="status-bar">
        <div className="sb-row">
          <span className="sb-spacer" />
          {tools}
        </div>
      </footer>
    );
  const lock = status?.lock;
  const live = lock?.state === 'live';
  const lockText = lock && (lock.state === 'free' ? 'Unlocked' : live ? 'Locked by a running migration' : 'Locked (stale: left by a crash)');
  const driftText = drift?.drifted ? `Drift: ${plural(drift.diff.changes.length, 'change')} outside migrations` : '';
  const runDone = runHere ? runHere.steps.filter((st) => st.state === 'done').length : 0;
  // How many warnings compete for the room: two or more make the bar "crowded" (short labels sooner).
  const alerts = [interrupted.length > 0, drift?.drifted, (lock && lock.state !== 'free') || runHere, statusError && !statusLoading].filter(Boolean).length;
  const database = status?.database ?? profile.database ?? '';
  return (
    <footer className="status-bar" data-env={profile.environment} aria-label="Status">
      <div className="sb-row" data-crowded={alerts >= 2 ? '' : undefined}>
        <span className="sb-item sb-env">{profile.environment}</span>
        {/* The head is in the header; here the database name gets the room, cut in the middle if it must be. */}
        <span className="sb-item sb-db mono" title={`Database ${database}${status ? ` on PostgreSQL ${status.serverVersion}` : ''}`}>
          <MiddleTruncate text={database} tail={10} />
        </span>
        {status && (
          <span className="sb-item sb-low" title={`Server version: ${status.serverVersion}`}>
            <Label long={`PostgreSQL ${shortVersion(status.serverVersion)}`} short={`PG ${shortVersion(status.serverVersion)}`} />
          </span>
        )}
        {status && (
          <span className="sb-item sb-low" title={`${status.applied.length} applied · ${status.pending.length} pending`}>
            <Label long={`${status.applied.length} applied · ${status.pending.length} pending`} short={`✓ ${status.applied.length} · ○ ${status.pending.length}`} />
          </span>
        )}
        {statusLoading && (
          <span className="sb-item faint sb-refreshing" title="Refreshing the status…">
            <Label long="refreshing…" short="↻" />
          </span>
        )}
        {statusError && !statusLoading && (
          <span className="sb-item sb-error" title={[statusError.message, statusError.hint].filter(Boolean).join('\n')}>
            {statusError.message}
          </span>
        )}
        <span className="sb-spacer" />
        {interrupted.length > 0 && (
          <button type="button" className="sb-button sb-warn sb-alert" onClick={() => store.getState().openRepair(interrupted[0].name)}
            aria-label={`${plural(interrupted.length, 'interrupted migration')}: repair`}
            title={`${plural(interrupted.length, 'interrupted migration')}: repair\n${interrupted.map((e) => e.summary).join('\n')}`}>
            <Label long={`⚠ ${interrupted.length} interrupted`} short={`⚠ ${interrupted.length}`} tier="tight" />
          </button>
        )}
        {drift?.drifted && (
          <button type="button" className="sb-button sb-warn sb-alert" onClick={() => setShowDrift(true)} aria-label={driftText} title={`${driftText}: details`}>
            <Label long={driftText} short={`Drift: ${drift.diff.changes.length}`} />
          </button>
        )}
        {runHere ? (
          <span className="sb-item sb-run sb-alert" title="Stepstone holds the migration lock while this run goes; it is released when the run ends">
            <Label long={`Lock held by this run (${runDone} of ${runHere.steps.length})`} short={`Run: ${runDone} of ${runHere.steps.length}`} />
          </span>
        ) : (
          lock && (
            <span className={`sb-item sb-lock${lock.state !== 'free' ? ' sb-warn sb-alert' : ''}`} title={lockText}>
              <Label long={lockText!} short={lock.state === 'free' ? 'Unlocked' : live ? 'Locked (live)' : 'Stale lock'} />
            </span>
          )
        )}
        {lock && lock.state !== 'free' && !runHere && (
          <button type="button" className="sb-button sb-action" onClick={() => setUnlocking(true)}>
            Unlock
          </button>
        )}
        {tools}
      </div>
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
      {showDrift && drift && <DriftDialog drift={drift} onClose={() => setShowDrift(false)} />}
    </footer>
  );
}
