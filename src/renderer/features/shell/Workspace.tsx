/** The centre: view tabs (Timeline · History · Backups · Environments) and the active view; the timeline has the detail pane beside it. */
import { useEffect, useState } from 'react';
import { NARROW_WINDOW, useMediaQuery } from '../../format/use-media-query';
import { useApp, useAppStore } from '../../store/store-context';
import { Tabs } from '../../components/Tabs';
import { Splitter } from '../../components/Splitter';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Button } from '../../components/Button';
import { Timeline } from '../timeline/Timeline';
import { DetailPane } from '../detail/DetailPane';
import { HistoryView } from '../history/HistoryView';
import { BackupsView } from '../backups/BackupsView';
import { EnvironmentsView } from '../environments/EnvironmentsView';
import type { View } from '../../store/types';
import { RefreshControl } from '../live/RefreshControl';
import { Welcome } from './Welcome';

export function Workspace() {
  const view = useApp((s) => s.view);
  // Views' own state (expanded rows, filters, open dialogs) belongs to one connection: keyed by it.
  const profileId = useApp((s) => s.activeProfileId);
  const status = useApp((s) => s.status);
  const statusError = useApp((s) => s.statusError);
  const statusLoading = useApp((s) => s.statusLoading);
  // Listed from the folder while the database is read: the timeline shows the files at once.
  const listed = useApp((s) => s.listing !== null);
  const pending = useApp((s) => s.status?.pending.length ?? 0);
  const historyCount = useApp((s) => s.history.length);
  const backupCount = useApp((s) => s.backups.length);
  const store = useAppStore();
  const [detailWidth, setDetailWidth] = useState(440);
  const narrow = useMediaQuery(NARROW_WINDOW);
  const selectedName = useApp((s) => s.selectedName);
  const selectionSeq = useApp((s) => s.selectionSeq);
  const [drawerOpen, setDrawerOpen] = useState(false);
  // Every selection (a click, Enter, j/k) opens the drawer; closing it keeps the selection.
  useEffect(() => setDrawerOpen(selectionSeq > 0), [selectionSeq]);
  const closeDrawer = () => {
    setDrawerOpen(false);
    document.querySelector<HTMLElement>('[role="listbox"][aria-label="Migrations"]')?.focus();
  };

  let body;
  if (!status && !(listed && !statusError && view === 'timeline')) {
    body = statusError ? (
      <div className="empty-state">
        <ErrorMessage error={statusError} title="Could not read this database’s migrations" />
        <Button onClick={() => void store.getState().refreshStatus()}>Try again</Button>
      </div>
    ) : (
      <div className="empty-state muted">{statusLoading ? 'Reading migrations…' : 'Pick a connection on the left.'}</div>
    );
  } else if (view === 'timeline' && narrow) {
    // A narrow window: the timeline takes the width; the detail opens as a drawer over it.
    body = (
      <div className="timeline-layout timeline-layout-narrow">
        <Timeline key={profileId} />
        {drawerOpen && selectedName && (
          <div className="detail-drawer">
            <DetailPane onClose={closeDrawer} />
          </div>
        )}
      </div>
    );
  } else if (view === 'timeline') {
    body = (
      <div className="timeline-layout" style={{ gridTemplateColumns: `minmax(320px, 1fr) 5px ${detailWidth}px` }}>
        <Timeline key={profileId} />
        <Splitter label="Resize detail pane" value={detailWidth} min={300} max={900} direction={-1} onChange={setDetailWidth} />
        <DetailPane />
      </div>
    );
  } else if (view === 'history') body = <HistoryView key={profileId} />;
  else if (view === 'environments') body = <EnvironmentsView />;
  else body = <BackupsView key={profileId} />;

  return (
    <div className="workspace-body">
      <Welcome />
      <div className="view-bar">
        <Tabs<View>
          label="Views"
          className="view-tabs"
          active={view}
          onChange={(v) => store.getState().setView(v)}
          items={[
            { key: 'timeline', label: 'Timeline', extra: pending > 0 ? `${pending} pending` : undefined },
            { key: 'history', label: 'History', extra: historyCount || undefined },
            { key: 'backups', label: 'Backups', extra: backupCount || undefined },
            { key: 'environments', label: 'Environments' },
          ]}
        />
        {status && <RefreshControl />}
      </div>
      <div className="view-panel" role="tabpanel" aria-label={view}>
        {body}
      </div>
    </div>
  );
}
