/**
 * "New migration from changes…" (and "Turn into a migration" on the drift warning): the schema the
 * migrations give, compared with a reference database, a schema file or the live database's drift;
 * the generated file, its schema change and its verification side by side before it is written.
 * Renames are asked, never guessed: a dropped-and-added pair can be ticked to become a rename.
 */
import { useState } from 'react';
import type { DesiredSource } from '../../../shared/contract';
import { useApp, useAppStore } from '../../store/store-context';
import { Dialog } from '../../components/Dialog';
import { Button } from '../../components/Button';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../connections/Field';
import { ReviewPanes } from './ReviewPanes';

type SourceKind = DesiredSource['kind'];

/** The `--rename` value of a candidate's option, e.g. "users.name=full_name". */
function renameOf(option: string): string {
  return option.replace(/^--rename\s+/, '');
}

export function GenerateDialog() {
  const store = useAppStore();
  const generator = useApp((s) => s.generator)!;
  const initial = generator.initialSource;
  const [name, setName] = useState(initial?.kind === 'drift' ? 'capture_drift' : '');
  const [kind, setKind] = useState<SourceKind>(initial?.kind ?? 'url');
  const [url, setUrl] = useState(initial?.kind === 'url' ? initial.url : '');
  const [path, setPath] = useState(initial?.kind === 'file' ? initial.path : '');
  // How each rename was offered ("public.users.name → public.users.full_name"), to keep its words once applied.
  const [labels, setLabels] = useState<Record<string, string>>({});
  // Once a preview is shown the form folds into one line, leaving the room to the review.
  const [editing, setEditing] = useState(true);
  const preview = generator.preview;
  const written = generator.written;
  const renames = generator.request?.renames ?? [];
  const close = () => store.getState().closeGenerator();

  const source: DesiredSource | null = kind === 'drift' ? { kind } : kind === 'url' ? (url.trim() ? { kind, url: url.trim() } : null) : path.trim() ? { kind, path: path.trim() } : null;
  const ready = name.trim() !== '' && source !== null && !generator.running;
  const run = (options: { renames?: string[]; force?: boolean } = {}) => {
    if (!source) return;
    setEditing(false);
    void store.getState().previewGenerate({ name: name.trim(), source, renames: options.renames ?? renames, force: options.force ?? false });
  };
  const toggleRename = (value: string, label: string, on: boolean) => {
    setLabels((known) => ({ ...known, [value]: label }));
    run({ renames: on ? [...renames, value] : renames.filter((r) => r !== value) });
  };
  // Candidates offered now, plus renames already asked (they are no longer candidates once applied).
  const pairs = [
    ...renames.map((r) => ({ value: r, label: labels[r] ?? r, on: true })),
    ...(preview?.renameCandidates ?? []).map((c) => ({ value: renameOf(c.option), label: `${c.from} → ${c.to}`, on: false })),
  ];

  return (
    <Dialog
      title="New migration from changes"
      width="wide"
      className="review-dialog"
      locked={generator.running}
      onClose={close}
      footer={
        written ? (
          <Button variant="primary" data-autofocus onClick={close}>
            Done
          </Button>
        ) : (
          <>
            <Button data-autofocus onClick={close} disabled={generator.running}>
              Cancel
            </Button>
            <Button disabled={!ready} onClick={() => run()}>
              {preview ? 'Generate again' : 'Generate and verify'}
            </Button>
            <Button variant="primary" disabled={generator.running || preview?.status !== 'preview'} onClick={() => void store.getState().writeGenerated()}>
              Write file
            </Button>
          </>
        )
      }
    >
      {written ? (
        <p role="status" className="review-done">
          Wrote <span className="mono">{written.name}</span>; it is pending on the timeline (select it for the SQL its dry run gives).
        </p>
      ) : !editing && preview ? (
        <p className="generate-asked">
          <span className="mono">{name.trim()}</span> <span className="muted">from {preview.source}</span>{' '}
          <Button size="small" variant="ghost" disabled={generator.running} onClick={() => setEditing(true)}>
            Change…
          </Button>
        </p>
      ) : (
        <form
          className="generate-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (ready) run();
          }}
        >
          <Field label="Name" help="What the change does, e.g. add_phone_to_users; a timestamp goes in front.">
            <input className="input mono" value={name} onChange={(e) => setName(e.target.value)} placeholder="add_phone_to_users" aria-label="Migration name" />
          </Field>
          <fieldset className="radio-group">
            <legend>The desired schema</legend>
            <label>
              <input type="radio" name="source" checked={kind === 'url'} onChange={() => setKind('url')} /> A reference database
            </label>
            <label>
              <input type="radio" name="source" checked={kind === 'file'} onChange={() => setKind('file')} /> A schema file (.sql)
            </label>
            <label>
              <input type="radio" name="source" checked={kind === 'drift'} onChange={() => setKind('drift')} /> This database's changes made outside migrations
            </label>
          </fieldset>
          {kind === 'url' && (
            <Field label="Reference database URL" help="Read only. E.g. a development database changed by hand or by an ORM.">
              <input className="input mono" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="postgres://user@localhost:5432/app_dev" aria-label="Reference database URL" />
            </Field>
          )}
          {kind === 'file' && (
            <Field label="Schema file" help="A SQL file such as the output of pg_dump --schema-only; it runs on a shadow database.">
              <input className="input mono" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/schema.sql" aria-label="Schema file path" />
            </Field>
          )}
        </form>
      )}
      {generator.running && (
        <p className="muted" role="status">
          Building the migrations' schema and verifying on a shadow database…
        </p>
      )}
      {generator.error && <ErrorMessage error={generator.error} title="Could not generate a migration" />}
      {preview && !written && preview.status === 'no-changes' && (
        <p role="status" className="review-done">
          No changes: the migrations already give {preview.source}.
        </p>
      )}
      {preview && !written && preview.content && preview.name && (
        <>
          {pairs.length > 0 && (
            <fieldset className="rename-pairs">
              <legend>Possible renames (a drop and an add of the same type): tick to rename instead</legend>
              {pairs.map((p) => (
                <label key={p.value}>
                  <input type="checkbox" checked={p.on} disabled={generator.running} onChange={(e) => toggleRename(p.value, p.label, e.target.checked)} /> <span className="mono">{p.label}</span>
                </label>
              ))}
            </fieldset>
          )}
          {preview.dataLoss.length > 0 && (
            <div className="review-warning" role="alert">
              <p>Data loss: up drops these and their data:</p>
              <ul className="mono">
                {preview.dataLoss.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            </div>
          )}
          {preview.warnings.length > 0 && (
            <ul className="review-warnings">
              {preview.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
          <ReviewPanes fileName={preview.name} content={preview.content} summary={preview.summary} diff={preview.diff} verification={preview.verification} previous="the previous schema" />
          {preview.status === 'not-written' && (
            <p className="review-force">
              Verification failed, so the file is not offered for writing.{' '}
              <Button size="small" disabled={generator.running} onClick={() => run({ force: true })}>
                Keep it anyway
              </Button>{' '}
              <span className="muted">(the differences go in its header)</span>
            </p>
          )}
        </>
      )}
    </Dialog>
  );
}
