/** The right pane: the selected migration's header, its action, and tabs Source · SQL · Schema change · Checks · Runs. */
import { Fragment, useState } from 'react';
import { useApp, useAppStore } from '../../store/store-context';
import { Tabs } from '../../components/Tabs';
import { Button } from '../../components/Button';
import { Badge } from '../../components/Badge';
import { splitMigrationName } from '../../store/timeline-model';
import { copyText } from '../../components/CodeView';
import { SourceTab } from './SourceTab';
import { PreviewTab } from './PreviewTab';
import { RunsTab } from './RunsTab';
import { ChecksTab } from '../checks/ChecksTab';

type DetailTab = 'source' | 'sql' | 'schema' | 'checks' | 'runs';

export function DetailPane({ onClose }: { onClose?: () => void } = {}) {
  const name = useApp((s) => s.selectedName);
  const applied = useApp((s) => (name ? s.status?.applied.find((m) => m.name === name) : undefined));
  const pending = useApp((s) => (name ? s.status?.pending.find((m) => m.name === name) : undefined));
  const running = useApp((s) => s.run?.running ?? false);
  const canOpenEditor = useApp((s) => s.info?.canOpenEditor ?? false);
  const [tab, setTab] = useState<DetailTab>('source');
  const [copied, setCopied] = useState(false);
  const store = useAppStore();

  if (!name || (!applied && !pending)) {
    return (
      <aside className="detail detail-empty" aria-label="Migration detail">
        <p className="muted">Select a migration to see its SQL</p>
      </aside>
    );
  }
  const { prefix, rest } = splitMigrationName(name);
  return (
    <aside
      className="detail"
      aria-label="Migration detail"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && onClose) {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="detail-header">
        <div className="detail-title">
          {/* A long name wraps: the whole name is always readable here. */}
          <h2 className="detail-name">
            <span className="tl-prefix">{prefix}</span>
            {/* Break between the name's words (after each underscore), not inside one. */}
            {rest.split(/(?<=_)/).map((part, i) => (
              <Fragment key={i}>
                {i > 0 && <wbr />}
                {part}
              </Fragment>
            ))}
          </h2>
          <div className="detail-state">
            {applied ? (
              <Badge tone="ok">applied · batch {applied.batch}</Badge>
            ) : (
              <Badge tone="neutral">pending</Badge>
            )}
          </div>
          {onClose && (
            <button type="button" className="icon-btn" aria-label="Close details" title="Close details (Esc)" onClick={onClose}>
              ✕
            </button>
          )}
        </div>
        <div className="detail-actions">
          <Button
            size="small"
            onClick={async () => {
              setCopied(await copyText(name));
              window.setTimeout(() => setCopied(false), 1500);
            }}
          >
            {copied ? 'Copied' : 'Copy name'}
          </Button>
          {canOpenEditor && (
            <Button size="small" onClick={() => void store.getState().openInEditor(name)}>
              Open in editor
            </Button>
          )}
          {pending && (
            <Button size="small" disabled={running} onClick={() => void store.getState().openPlan({ kind: 'upgrade', to: name })}>
              Upgrade to here
            </Button>
          )}
          {applied && (
            <Button size="small" disabled={running} onClick={() => void store.getState().openPlan({ kind: 'rollback', mode: 'to', to: name })}>
              Roll back to here
            </Button>
          )}
        </div>
        {applied?.edited && (
          <p className="notice notice-warn detail-edited">
            Edited since it was applied.{' '}
            <button type="button" className="link-btn" onClick={() => store.getState().openEditedDiff(name)}>
              Show what changed
            </button>
          </p>
        )}
      </div>
      <Tabs
        label="Migration detail"
        className="detail-tabs"
        active={tab}
        onChange={setTab}
        items={[
          { key: 'source', label: 'Source' },
          { key: 'sql', label: 'SQL' },
          { key: 'schema', label: 'Schema change' },
          { key: 'checks', label: 'Checks' },
          { key: 'runs', label: 'Runs' },
        ]}
      />
      <div className="detail-body" role="tabpanel">
        {tab === 'source' && <SourceTab name={name} />}
        {tab === 'sql' && <PreviewTab name={name} pending={!!pending} part="sql" />}
        {tab === 'schema' && <PreviewTab name={name} pending={!!pending} part="schema" />}
        {tab === 'checks' && <ChecksTab name={name} pending={!!pending} />}
        {tab === 'runs' && <RunsTab name={name} />}
      </div>
    </aside>
  );
}
