/** Backups, newest first: take one now, restore (confirmed), verify, delete; a live log while one runs. */
import { useState } from 'react';
import type { Backup } from '../../../shared/contract';
import { useApp, useAppStore } from '../../store/store-context';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { byteSize, exactTime, plural } from '../../format/format';
import { VerifyButton, VerifyResultLine } from './VerifyCell';
import { ActionsMenu } from '../../components/ActionsMenu';
import { MiddleTruncate } from '../../components/MiddleTruncate';
import { RestoreDialog } from './RestoreDialog';
import { LeftoversPanel } from './LeftoversPanel';
import { RelativeTime } from '../../components/RelativeTime';

/** What the backup was taken for: "before Upgrade of 3 migrations, head X → Y", "manual backup". */
export function triggerText(b: Backup): string {
  if (b.trigger) {
    const what = b.trigger.operation === 'upgrade' ? 'Upgrade' : 'Rollback';
    return `before ${what} of ${plural(b.trigger.steps, 'migration')}, head ${b.trigger.headBefore ?? 'empty'} → ${b.trigger.headAfter ?? 'empty'}`;
  }
  return b.operation === 'manual' ? 'manual backup' : `before ${b.operation}`;
}

export function BackupsView() {
  const backups = useApp((s) => s.backups);
  const error = useApp((s) => s.backupsError);
  // A task's banner belongs to its connection: another connection's restore never shows here.
  const task = useApp((s) => (s.backupTask?.profileId === s.activeProfileId ? s.backupTask : null));
  const profile = useApp((s) => s.profiles.find((p) => p.id === s.activeProfileId));
  const database = useApp((s) => s.status?.database ?? profile?.database ?? '');
  const confirmation = useApp((s) => s.status?.confirmation);
  const running = useApp((s) => s.run?.running ?? false);
  const store = useAppStore();
  const canShowInFolder = useApp((s) => s.info?.canShowInFolder ?? false);
  const [restoring, setRestoring] = useState<Backup | null>(null);
  const [deleting, setDeleting] = useState<Backup | null>(null);
  const busy = running || (task?.running ?? false);
  return (
    <section className="view backups-view" aria-label="Backups">
      <div className="view-toolbar">
        <Button variant="primary" onClick={() => void store.getState().createBackup()} disabled={busy}>
          Back up now
        </Button>
        <span className="faint">{backups.length === 1 ? '1 backup' : `${backups.length} backups`}</span>
      </div>
      {task && (
        <div className={`task-panel${task.error ? ' is-failed' : ''}`} role="status">
          <div className="task-head">
            <strong>{task.running ? `${task.label}…` : task.error ? `${task.label} failed` : task.done}</strong>
            {!task.running && (
              <Button size="small" variant="ghost" onClick={() => store.getState().dismissBackupTask()}>
                Dismiss
              </Button>
            )}
          </div>
          {task.log.length > 0 && (
            <ol className="run-log mono">
              {task.log.slice(-8).map((l, i) => (
                <li key={i}>{l.message}</li>
              ))}
            </ol>
          )}
          {task.error && <ErrorMessage error={task.error} />}
        </div>
      )}
      {error && <ErrorMessage error={error} />}
      <LeftoversPanel />
      {backups.length === 0 ? (
        <p className="empty-state muted">No backups yet. One is taken before each upgrade and rollback when the connection asks for it.</p>
      ) : (
        <div className="table-scroll">
          <table className="table backups-table">
            <thead>
              <tr>
                <th scope="col">Taken</th>
                <th scope="col">Head</th>
                <th scope="col" className="num">Size</th>
                <th scope="col" className="actions-head">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {backups.map((b) => (
                <tr key={b.id}>
                  <td className="backup-when">
                    <RelativeTime iso={b.createdAt} />
                    <div className="backup-trigger" title={triggerText(b)}>
                      {triggerText(b)}
                    </div>
                    <div className="backup-file mono faint" title={b.file}>
                      <MiddleTruncate text={b.file} tail={28} />
                    </div>
                    <VerifyResultLine backup={b} />
                  </td>
                  <td className="mono backup-head">{b.head ? <MiddleTruncate text={b.head} tail={20} /> : '∅'}</td>
                  <td className="num">
                    {byteSize(b.sizeBytes)}
                    <div className="faint">{b.method}</div>
                  </td>
                  <td className="actions-cell">
                    <div className="row-actions">
                      <Button size="small" disabled={busy} onClick={() => setRestoring(b)} aria-label={`Restore backup of ${exactTime(b.createdAt)}`}>
                        Restore
                      </Button>
                      <VerifyButton backup={b} />
                      <ActionsMenu
                        label={`More actions for the backup of ${exactTime(b.createdAt)}`}
                        actions={[
                          ...(canShowInFolder ? [{ label: 'Show in folder', onSelect: () => void store.getState().revealBackup(b.id) }] : []),
                          { label: 'Delete…', danger: true, disabled: busy, onSelect: () => setDeleting(b) },
                        ]}
                      />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {restoring && <RestoreDialog backup={restoring} database={database} environment={profile?.environment} confirmation={confirmation} onClose={() => setRestoring(null)} />}
      {deleting && (
        <ConfirmDialog title="Delete this backup?" actionLabel="Delete backup" onClose={() => setDeleting(null)} onConfirm={() => store.getState().deleteBackup(deleting.id)}>
          <p>
            The file <span className="mono">{deleting.file}</span> is removed. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
