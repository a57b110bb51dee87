/**
 * "Adopt it…": a baseline migration that recreates this database's schema, verified on a shadow
 * database (up, down, up again) and shown before anything is written; then written and recorded as
 * applied without running it — the database's schema and data stay as they are.
 */
import { useState } from 'react';
import { useApp, useAppStore } from '../../store/store-context';
import { Dialog } from '../../components/Dialog';
import { Button } from '../../components/Button';
import { ErrorMessage } from '../../components/ErrorMessage';
import { TypedConfirmation, confirmationMatches, typedNameOf, useConfirmationText } from '../../components/TypedConfirmation';
import { Field } from '../connections/Field';
import { ReviewPanes } from './ReviewPanes';

export function AdoptDialog() {
  const store = useAppStore();
  const adopt = useApp((s) => s.adopt)!;
  const database = useApp((s) => s.status?.database ?? '');
  // The engine's word on what writing the baseline asks here (the database name typed on production).
  const typedName = useApp((s) => typedNameOf(s.status?.confirmation));
  const [name, setName] = useState('baseline');
  const [force, setForce] = useState(false);
  const [typed, setTyped] = useConfirmationText(adopt.result);
  const result = adopt.result;
  const stamped = result?.status === 'stamped';
  const proven = result !== null && result.verification.ok && result.unsupported.length === 0;
  const canWrite = result !== null && !stamped && !adopt.running && (proven || force) && (typedName === undefined || confirmationMatches(typedName, typed));
  const close = () => store.getState().closeAdopt();

  return (
    <Dialog
      title={`Adopt ${database}`}
      width="wide"
      className="review-dialog"
      locked={adopt.running}
      onClose={close}
      footer={
        stamped ? (
          <Button variant="primary" data-autofocus onClick={close}>
            Done
          </Button>
        ) : (
          <>
            <Button data-autofocus onClick={close} disabled={adopt.running}>
              Cancel
            </Button>
            <Button disabled={adopt.running || !name.trim()} onClick={() => void store.getState().previewBaseline(name.trim())}>
              {result ? 'Verify again' : 'Generate and verify'}
            </Button>
            <Button
              variant="primary"
              disabled={!canWrite}
              onClick={() => void store.getState().commitBaseline(name.trim(), { force: !proven && force, confirmation: typedName !== undefined ? typed : undefined })}
            >
              Write and mark as applied
            </Button>
          </>
        )
      }
    >
      <p>
        Stepstone writes one migration whose <strong>up</strong> recreates this database's schema and whose <strong>down</strong> removes it. It is proved first on a
        shadow database (up, down, up again); then the file is written and recorded as applied <strong>without running it</strong>: {database}'s schema and data stay as they are.
      </p>
      {!result && (
        <Field label="Name" help="After the timestamp; the file's extension follows the project (TypeScript by default).">
          <input className="input mono" value={name} onChange={(e) => setName(e.target.value)} disabled={adopt.running} aria-label="Baseline name" />
        </Field>
      )}
      {adopt.running && (
        <p className="muted" role="status">
          Building and verifying on a shadow database…
        </p>
      )}
      {adopt.error && <ErrorMessage error={adopt.error} title="Could not adopt the database" />}
      {result && (
        <>
          {stamped && (
            <p role="status" className="review-done">
              Wrote <span className="mono">{result.name}</span> and recorded it as applied (batch {result.batch}). It shows as stamped on the timeline.
            </p>
          )}
          {result.unsupported.length > 0 && (
            <div className="review-warning" role="alert">
              <p>The introspection cannot reproduce these; the file leaves them out:</p>
              <ul className="mono">
                {result.unsupported.map((u) => (
                  <li key={u}>{u}</li>
                ))}
              </ul>
            </div>
          )}
          <ReviewPanes fileName={result.name} content={result.content} summary={result.summary} verification={result.verification} previous="an empty database" />
          {!proven && !stamped && (
            <label className="review-force">
              <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Write and mark it applied anyway (recorded in the history and the
              file's header)
            </label>
          )}
          {typedName !== undefined && !stamped && <TypedConfirmation expected={typedName} value={typed} onChange={setTyped} />}
        </>
      )}
    </Dialog>
  );
}
