/**
 * What interrupted restores, backups and dry runs left: databases Stepstone created and never
 * finished with, and partial backup files, each with whether its creator is gone. "Clean up" removes
 * the stale ones (confirmed, naming them); those a live process still uses are kept and said so.
 */
import { useState } from 'react';
import { useApp, useAppStore } from '../../store/store-context';
import { Button } from '../../components/Button';
import { RepairNotice, useRepairNotice } from '../repair/RepairNotice';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { MiddleTruncate } from '../../components/MiddleTruncate';
import { RelativeTime } from '../../components/RelativeTime';
import { byteSize, plural } from '../../format/format';

/** The marker's purpose in words: "restore of backup X" is a restore that never completed. */
export function purposeText(purpose: string): string {
  if (purpose.startsWith('restore')) return `${purpose}: never completed`;
  if (purpose.startsWith('verify')) return `${purpose}: a verification copy`;
  if (purpose === 'dry-run') return 'a dry run’s scratch copy';
  return `a shadow database (${purpose})`;
}

export function LeftoversPanel() {
  const store = useAppStore();
  const leftovers = useApp((s) => s.leftovers);
  const notice = useRepairNotice();
  const running = useApp((s) => s.run?.running ?? false);
  const [confirming, setConfirming] = useState(false);
  const databases = leftovers?.databases ?? [];
  const files = leftovers?.partialFiles ?? [];
  const staleDatabases = databases.filter((d) => d.stale);
  const staleFiles = files.filter((f) => f.stale);
  const staleCount = staleDatabases.length + staleFiles.length;
  if (!databases.length && !files.length) {
    return notice ? (
      <RepairNotice message={notice} />
    ) : null;
  }
  return (
    <section className="leftovers-panel" aria-label="Leftovers">
      <div className="leftovers-head">
        <h3>Left by interrupted operations</h3>
        <Button size="small" variant="danger" disabled={staleCount === 0 || running} onClick={() => setConfirming(true)} title={staleCount ? undefined : 'Every leftover is still in use by a running process'}>
          Clean up
        </Button>
      </div>
      <ul className="leftovers-list">
        {databases.map((d) => (
          <li key={d.name} aria-label={`Database ${d.name}`}>
            <span className="leftover-kind">Database</span>
            <span className="mono leftover-name" title={d.name}>
              {d.name}
            </span>
            <span className="faint">{purposeText(d.purpose)}</span>
            {d.createdAt && (
              <span className="faint">
                created <RelativeTime iso={d.createdAt} />
              </span>
            )}
            <span className={d.stale ? 'leftover-stale' : 'faint'}>{d.stale ? 'its creator is gone' : `in use by pid ${d.pid ?? '?'}${d.host ? ` on ${d.host}` : ''}`}</span>
          </li>
        ))}
        {files.map((f) => (
          <li key={f.file} aria-label={`Partial file ${f.file}`}>
            <span className="leftover-kind">Partial file</span>
            <span className="mono leftover-name" title={f.file}>
              <MiddleTruncate text={f.file} tail={36} />
            </span>
            <span className="num">{byteSize(f.sizeBytes)}</span>
            <span className="faint">
              written <RelativeTime iso={f.modifiedAt} />
            </span>
            <span className={f.stale ? 'leftover-stale' : 'faint'}>{f.stale ? 'its writer is gone' : `being written by pid ${f.writer?.pid ?? '?'}`}</span>
          </li>
        ))}
      </ul>
      {notice && (
        <RepairNotice message={notice} />
      )}
      {confirming && (
        <ConfirmDialog title="Clean up leftovers?" actionLabel="Clean up" onClose={() => setConfirming(false)} onConfirm={() => store.getState().cleanupLeftovers()}>
          <p>These were left by operations that were interrupted; the processes that made them are gone. They are removed:</p>
          <ul className="leftovers-confirm-list">
            {staleDatabases.map((d) => (
              <li key={d.name}>
                database <span className="mono">{d.name}</span> (dropped)
              </li>
            ))}
            {staleFiles.map((f) => (
              <li key={f.file}>
                <span className="mono">{f.file.split(/[\\/]/).pop()}</span> ({byteSize(f.sizeBytes)})
              </li>
            ))}
          </ul>
          {staleCount < databases.length + files.length && <p className="muted">{plural(databases.length + files.length - staleCount, 'leftover')} still in use by a running process stay.</p>}
          <p className="muted">Your database and your backups are not touched.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
