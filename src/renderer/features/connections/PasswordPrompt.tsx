/** Asked when a connection needs a password the app does not have (PASSWORD_REQUIRED). */
import { useState } from 'react';
import type { ErrorInfo } from '../../../shared/contract';
import { useApp, useAppStore } from '../../store/store-context';
import { Dialog } from '../../components/Dialog';
import { Button } from '../../components/Button';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from './Field';

export function PasswordPrompt() {
  const profile = useApp((s) => s.profiles.find((p) => p.id === s.passwordPromptFor));
  const mode = useApp((s) => s.info?.mode ?? 'web');
  const store = useAppStore();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  if (!profile) return null;
  async function submit() {
    setBusy(true);
    const failure = await store.getState().providePassword(profile!.id, password);
    setBusy(false);
    setError(failure);
    if (!failure) setPassword('');
  }
  return (
    <Dialog
      title={`Password for ${profile.name}`}
      onClose={() => store.getState().dismissPasswordPrompt()}
      environment={profile.environment}
      width="narrow"
      footer={
        <>
          <Button onClick={() => store.getState().dismissPasswordPrompt()}>Cancel</Button>
          <Button variant="primary" onClick={() => void submit()} disabled={busy || password === ''}>
            {busy ? 'Connecting…' : 'Connect'}
          </Button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (password) void submit();
        }}
      >
        <p className="muted">
          {profile.user ?? 'The user'} on {profile.host ?? 'the server'} / {profile.database}.{' '}
          {mode === 'web' ? 'Kept for this session only, never written to disk.' : 'Used for this session.'}
        </p>
        <Field label="Password">
          <input className="input" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-autofocus />
        </Field>
      </form>
      {error && <ErrorMessage error={error} />}
    </Dialog>
  );
}
