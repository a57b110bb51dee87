/** The migration's file, highlighted. */
import { useEffect } from 'react';
import { useApp, useAppStore } from '../../store/store-context';
import { CodeView } from '../../components/CodeView';
import { ErrorMessage } from '../../components/ErrorMessage';

export function SourceTab({ name }: { name: string }) {
  const source = useApp((s) => s.sources[name]);
  const store = useAppStore();
  // Also when the cached text was dropped (the file changed on disk).
  const missing = source === undefined;
  useEffect(() => {
    if (missing) void store.getState().loadSource(name);
  }, [name, missing, store]);
  if (!source || source.loading) return <p className="muted">Loading source…</p>;
  if (source.error) return <ErrorMessage error={source.error} />;
  if (!source.data) return null;
  return (
    <div className="detail-source">
      <div className="faint mono detail-path" title={source.data.path}>
        {source.data.path}
      </div>
      <CodeView code={source.data.source} language={source.data.language} label={`Source of ${name}`} />
    </div>
  );
}
