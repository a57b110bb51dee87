/** Restore a backup: into this database (replacing it; production needs its name typed) or into a new one. */
import { useState } from 'react';
import type { Backup, Confirmation, Environment } from '../../../shared/contract';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { typedNameOf } from '../../components/TypedConfirmation';
import { useAppStore } from '../../store/store-context';
import { relativeTime } from '../../format/format';

export interface RestoreDialogProps {
  backup: Backup;
  database: string;
  environment?: Environment;
  /** What restoring over this database asks (the engine's, from the status): its name typed on production. */
  confirmation?: Confirmation;
  onClose: () => void;
}

/** A default name for "restore into a new database": the database and the backup's date. */
function suggestedName(database: string, backup: Backup): string {
  return `${database}_restored_${backup.createdAt.slice(0, 10).replace(/-/g, '')}`.slice(0, 63);
}

export function RestoreDialog({ backup, database, environment, confirmation, onClose }: RestoreDialogProps) {
  const store = useAppStore();
  const [target, setTarget] = useState<'same' | 'new'>('same');
  const [newName, setNewName] = useState(() => suggestedName(database, backup));
  const intoNew = target === 'new';
  const nameProblem = intoNew && (!newName.trim() || newName.length > 63 || newName === database);
  return (
    <ConfirmDialog
      title={intoNew ? `Restore into a new database?` : `Restore ${database}?`}
      actionLabel={intoNew ? 'Restore into new database' : 'Restore'}
      danger={!intoNew}
      environment={environment}
      requireTyped={intoNew ? undefined : typedNameOf(confirmation)}
      blocked={nameProblem}
      onClose={onClose}
      onConfirm={(typed) => store.getState().restoreBackup(backup.id, typed, intoNew ? newName.trim() : undefined)}
    >
      <fieldset className="radio-group">
        <legend className="visually-hidden">Restore into</legend>
        <label>
          <input type="radio" name="restore-target" checked={!intoNew} onChange={() => setTarget('same')} />
          <span>
            Into <span className="mono">{database}</span>, replacing its contents
          </span>
        </label>
        <label>
          <input type="radio" name="restore-target" checked={intoNew} onChange={() => setTarget('new')} />
          <span>Into a new database on the same server</span>
        </label>
      </fieldset>
      {intoNew ? (
        <label className="field">
          <span>New database name</span>
          <input className="mono" value={newName} onChange={(e) => setNewName(e.target.value)} aria-invalid={nameProblem} />
        </label>
      ) : (
        <p>
          This replaces the current schemas and data of <strong className="mono">{database}</strong> with the backup taken {relativeTime(backup.createdAt)} (head{' '}
          <span className="mono">{backup.head ?? 'empty'}</span>). The history keeps every entry.
        </p>
      )}
      {backup.unsupported.length > 0 && <div className="notice notice-warn">This backup could not capture: {backup.unsupported.join('; ')}.</div>}
    </ConfirmDialog>
  );
}
