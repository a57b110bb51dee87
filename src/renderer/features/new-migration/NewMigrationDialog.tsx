/** "New migration…": a name and a language; the file comes from the engine's template. */
import { useState } from 'react';
import type { CreatedMigration, ErrorInfo } from '../../../shared/contract';
import { useApp, useAppStore } from '../../store/store-context';
import { Dialog } from '../../components/Dialog';
import { Button } from '../../components/Button';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../connections/Field';
import { errorInfo } from '../../../shared/errors';

export function NewMigrationDialog({ onClose }: { onClose: () => void }) {
  const store = useAppStore();
  const canOpenEditor = useApp((s) => s.info?.canOpenEditor ?? false);
  const [name, setName] = useState('');
  const [language, setLanguage] = useState<'ts' | 'js'>('ts');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [created, setCreated] = useState<CreatedMigration | null>(null);
  const [editorError, setEditorError] = useState<ErrorInfo | null>(null);

  async function create() {
    const clean = name.trim();
    if (!clean) return setError(errorInfo('INVALID_INPUT', 'Give the migration a name, e.g. add_users_email.'));
    setBusy(true);
    const result = await store.getState().createMigration(clean, language);
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    setCreated(result.value);
    if (canOpenEditor) setEditorError(await store.getState().openInEditor(result.value.name));
  }

  return (
    <Dialog
      title="New migration"
      onClose={onClose}
      width="narrow"
      footer={
        created ? (
          <Button variant="primary" data-autofocus onClick={onClose}>
            Done
          </Button>
        ) : (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button variant="primary" onClick={() => void create()} disabled={busy}>
              {busy ? 'Creating…' : 'Create'}
            </Button>
          </>
        )
      }
    >
      {created ? (
        <div role="status">
          <p>
            Created <strong className="mono">{created.name}</strong>; it is pending on the timeline.
          </p>
          <p className="muted">
            File: <span className="mono selectable">{created.path}</span>
          </p>
          {canOpenEditor && !editorError && <p className="muted">Opened in your editor.</p>}
          {editorError && <ErrorMessage error={editorError} title="Could not open the editor" />}
        </div>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <Field label="Name" help="Words with underscores; a timestamp is put in front.">
            <input className="input mono" value={name} onChange={(e) => setName(e.target.value)} placeholder="add_users_email" data-autofocus />
          </Field>
          <fieldset className="radio-group">
            <legend>Language</legend>
            <label>
              <input type="radio" name="lang" checked={language === 'ts'} onChange={() => setLanguage('ts')} /> TypeScript
            </label>
            <label>
              <input type="radio" name="lang" checked={language === 'js'} onChange={() => setLanguage('js')} /> JavaScript
            </label>
          </fieldset>
          {error && <ErrorMessage error={error} />}
        </form>
      )}
    </Dialog>
  );
}
