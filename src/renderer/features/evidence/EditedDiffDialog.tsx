/** An "edited" migration: the version that was applied (kept by the run that applied it) against the file on disk. */
import { useEffect, useState } from 'react';
import { useApp, useAppStore } from '../../store/store-context';
import { Dialog } from '../../components/Dialog';
import { Button } from '../../components/Button';
import { ErrorMessage } from '../../components/ErrorMessage';
import { DiffControls, TextDiffView, type DiffLayout } from '../../components/TextDiffView';
import { exactTime } from '../../format/format';

export function EditedDiffDialog() {
  const name = useApp((s) => s.editedDiffFor);
  return name ? <EditedDiff key={name} name={name} /> : null;
}

function EditedDiff({ name }: { name: string }) {
  const store = useAppStore();
  const evidence = useApp((s) => s.evidence[name]);
  const source = useApp((s) => s.sources[name]);
  const [layout, setLayout] = useState<DiffLayout>('unified');
  const [ignoreWhitespace, setIgnoreWhitespace] = useState(false);
  useEffect(() => {
    void store.getState().loadEvidence(name);
    void store.getState().loadSource(name);
  }, [name, store]);
  const close = () => store.getState().closeEditedDiff();
  const applied = evidence?.data;
  let body;
  if (!evidence || evidence.loading || !source || source.loading) body = <p className="muted">Reading the applied version and the file…</p>;
  else if (evidence.error) body = <ErrorMessage error={evidence.error} />;
  else if (source.error) body = <ErrorMessage error={source.error} title="Could not read the file on disk" />;
  else if (!applied?.step.source) {
    body = (
      <p className="muted">
        Stepstone has no copy of the applied version: it was applied before Stepstone kept migrations’ text, or by another tool. The file on disk differs from the checksum recorded then.
      </p>
    );
  } else {
    body = (
      <>
        <p className="muted">
          The version applied {exactTime(applied.startedAt)} ({applied.operation} #{applied.run.historyId}) against the file on disk now. A rollback runs the file’s current <code>down</code>.
        </p>
        <DiffControls layout={layout} onLayout={setLayout} ignoreWhitespace={ignoreWhitespace} onIgnoreWhitespace={setIgnoreWhitespace} />
        <TextDiffView
          before={applied.step.source}
          after={source.data?.source ?? ''}
          layout={layout}
          ignoreWhitespace={ignoreWhitespace}
          label={`Changes to ${name} since it was applied`}
          beforeLabel="applied"
          afterLabel="on disk"
        />
      </>
    );
  }
  return (
    <Dialog title={`${name}: edited since it was applied`} onClose={close} width="wide" footer={<Button data-autofocus onClick={close}>Close</Button>}>
      {body}
    </Dialog>
  );
}
