/** Web mode's "Open project…": the browser cannot show a folder picker, so ask for the path. */
import { useState } from 'react';
import type { ErrorInfo } from '../../../shared/contract';
import { useAppStore } from '../../store/store-context';
import { Dialog } from '../../components/Dialog';
import { Button } from '../../components/Button';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from './Field';
import { errorInfo } from '../../../shared/errors';

export function OpenProjectDialog({ onClose }: { onClose: () => void }) {
  const store = useAppStore();
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  async function open() {
    if (!folder.trim()) return setError(errorInfo('INVALID_INPUT', 'Enter the project folder’s path.', { hint: 'The folder that holds knexfile.js or knexfile.ts.' }));
    setBusy(true);
    const result = await store.getState().openProject(folder.trim());
    setBusy(false);
    if (result.ok) onClose();
    else setError(result.error);
  }
  return (
    <Dialog
      title="Open project"
      onClose={onClose}
      width="narrow"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" onClick={() => void open()} disabled={busy}>
            {busy ? 'Opening…' : 'Open'}
          </Button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void open();
        }}
      >
        <Field label="Project folder" help="The folder with the knexfile; each of its environments becomes a connection.">
          <input className="input mono" value={folder} onChange={(e) => setFolder(e.target.value)} placeholder="/home/you/projects/api" data-autofocus />
        </Field>
      </form>
      {error && <ErrorMessage error={error} />}
    </Dialog>
  );
}
