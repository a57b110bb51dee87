/** Add or edit a connection: where it is, its environment, its migrations, and a Test button. */
import { useEffect, useRef, useState } from 'react';
import type { Environment, ErrorInfo, ProfileView, SslMode, TestConnectionResult } from '../../../shared/contract';
import { ENVIRONMENTS, SSL_MODES } from '../../../shared/enums';
import { useApp, useAppStore } from '../../store/store-context';
import { Dialog } from '../../components/Dialog';
import { Button } from '../../components/Button';
import { EnvironmentBadge } from '../../components/EnvironmentBadge';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from './Field';
import { formFieldsOfUrl } from './connection-url';
import { profileFromForm, validateForm, type ProfileForm } from './profile-form';

const environments: readonly Environment[] = ENVIRONMENTS;
const sslModes: readonly SslMode[] = SSL_MODES;

export interface ConnectionDialogProps {
  initial: ProfileForm;
  existing?: ProfileView;
  title: string;
  onClose: () => void;
}

export function ConnectionDialog({ initial, existing, title, onClose }: ConnectionDialogProps) {
  const store = useAppStore();
  const mode = useApp((s) => s.info?.mode ?? 'web');
  const [form, setForm] = useState(initial);
  const [url, setUrl] = useState('');
  const [urlError, setUrlError] = useState<string | null>(null);
  const [showErrors, setShowErrors] = useState(false);
  const [test, setTest] = useState<{ running: boolean; result?: TestConnectionResult; error?: ErrorInfo }>({ running: false });
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ErrorInfo | null>(null);
  const testResultRef = useRef<HTMLDivElement>(null);
  // The verdict appears below the form: bring it into view, or a tall form hides it.
  useEffect(() => {
    if (test.result || test.error) testResultRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [test]);
  const errors = validateForm(form);
  const visibleErrors = showErrors ? errors : {};
  const set = <K extends keyof ProfileForm>(key: K, value: ProfileForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const production = form.environment === 'production';

  async function runTest() {
    setTest({ running: true });
    const result = await store.getState().testProfile({ profile: profileFromForm(form, existing, mode), password: form.password || undefined });
    setTest(result.ok ? { running: false, result: result.value } : { running: false, error: result.error });
  }

  async function save() {
    setShowErrors(true);
    if (Object.keys(errors).length > 0) return;
    setSaving(true);
    const result = await store.getState().saveProfile(profileFromForm(form, existing, mode), form.password || undefined);
    setSaving(false);
    if (!result.ok) return setSaveError(result.error);
    onClose();
    void store.getState().openProfile(result.value.id);
  }

  return (
    <Dialog
      title={title}
      onClose={onClose}
      environment={form.environment}
      width="normal"
      footer={
        <>
          <Button onClick={() => void runTest()} disabled={test.running} className="footer-left">
            {test.running ? 'Testing…' : 'Test connection'}
          </Button>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" onClick={() => void save()} disabled={saving}>
            {saving ? 'Saving…' : 'Save'}
          </Button>
        </>
      }
    >
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Field label="Name" error={visibleErrors.name}>
          <input className="input" value={form.name} onChange={(e) => set('name', e.target.value)} data-autofocus />
        </Field>
        <Field label="Environment">
          <select className="input" value={form.environment} onChange={(e) => set('environment', e.target.value as Environment)}>
            {environments.map((env) => (
              <option key={env} value={env}>
                {env}
              </option>
            ))}
          </select>
        </Field>
        <div className="env-preview">
          <EnvironmentBadge environment={form.environment} />
          <span className="muted">
            {production ? 'Production: every change needs the database name typed.' : 'The colour follows this connection everywhere.'}
          </span>
        </div>
        <div className="field field-wide">
          <label htmlFor="connection-url">Import URL</label>
          <div className="input-row">
            <input
              id="connection-url"
              className="input mono"
              placeholder="postgres://user:password@host:5432/database"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
            />
            <Button
              onClick={async () => {
                if (!url.trim()) return setUrlError('Paste a URL such as postgres://user@host:5432/database.');
                const parsed = await store.getState().parseConnectionUrl(url.trim());
                if (!parsed.ok) return setUrlError(parsed.error.hint ? `${parsed.error.message} ${parsed.error.hint}` : parsed.error.message);
                const fields = formFieldsOfUrl(parsed.value);
                setUrlError(null);
                setUrl('');
                setForm((f) => ({ ...f, ...fields, password: fields.password || f.password }));
              }}
            >
              Import
            </Button>
          </div>
          {urlError && <div className="field-error">{urlError}</div>}
        </div>
        <Field label="Host" error={visibleErrors.host}>
          <input className="input" value={form.host} onChange={(e) => set('host', e.target.value)} />
        </Field>
        <Field label="Port" error={visibleErrors.port}>
          <input className="input" inputMode="numeric" value={form.port} onChange={(e) => set('port', e.target.value)} />
        </Field>
        <Field label="User">
          <input className="input" value={form.user} onChange={(e) => set('user', e.target.value)} autoComplete="off" />
        </Field>
        <Field label="Database" error={visibleErrors.database}>
          <input className="input" value={form.database} onChange={(e) => set('database', e.target.value)} />
        </Field>
        <Field
          label="Password"
          help={mode === 'desktop' ? 'Kept in the OS keychain, never in plain text.' : 'Asked each session; never written to disk.'}
        >
          <input
            className="input"
            type="password"
            autoComplete="new-password"
            placeholder={existing?.hasPassword ? 'Unchanged' : ''}
            value={form.password}
            onChange={(e) => set('password', e.target.value)}
          />
        </Field>
        <Field label="SSL mode">
          <select className="input" value={form.sslMode} onChange={(e) => set('sslMode', e.target.value as SslMode | '')}>
            <option value="">Default (prefer)</option>
            {sslModes.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </Field>
        <div className="field-wide">
          <Field label="Migrations folder" error={visibleErrors.migrationsFolder} help="Absolute path of the folder with the Knex migration files.">
            <input className="input mono" value={form.migrationsFolder} onChange={(e) => set('migrationsFolder', e.target.value)} />
          </Field>
        </div>
        <fieldset className="field-wide radio-group">
          <legend>Transactions</legend>
          <label>
            <input type="radio" name="tx" checked={form.transactionMode === 'knex'} onChange={() => set('transactionMode', 'knex')} /> Knex default: one
            transaction for the whole upgrade
          </label>
          <label>
            <input type="radio" name="tx" checked={form.transactionMode === 'per-migration'} onChange={() => set('transactionMode', 'per-migration')} /> One
            transaction per migration
          </label>
        </fieldset>
        <label className="switch field-wide">
          <input type="checkbox" role="switch" checked={form.backupBeforeMigrate} onChange={(e) => set('backupBeforeMigrate', e.target.checked)} />
          Back up before every upgrade and rollback
        </label>
        {/* The engine decides (production always backs up, the demo never): its word for the saved profile, not a copy of its rule. */}
        {existing && existing.id === form.id && (
          <p className="muted field-wide backup-decision" aria-label="Backup decision">
            {existing.backup.take ? 'Backs up first' : 'No backup first'}: {existing.backup.reason}
            {(form.environment !== existing.environment || form.backupBeforeMigrate !== existing.backupBeforeMigrate) && ' (as saved; the plan says what applies once saved)'}
          </p>
        )}
        <label className="switch field-wide">
          <input type="checkbox" role="switch" checked={form.readOnly} onChange={(e) => set('readOnly', e.target.checked)} />
          Read-only: look, never change
        </label>
        <button type="submit" hidden />
      </form>
      <div className="test-result" aria-live="polite" ref={testResultRef}>
        {test.result && (
          <p className="notice notice-ok">
            Connected to {test.result.database} as {test.result.user}: PostgreSQL {test.result.serverVersion}, {Math.round(test.result.latencyMs)} ms.
          </p>
        )}
        {test.error && <ErrorMessage error={test.error} title="Could not connect" />}
      </div>
      {saveError && <ErrorMessage error={saveError} title="Not saved" />}
    </Dialog>
  );
}
