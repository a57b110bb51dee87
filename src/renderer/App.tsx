/** The window: connections | workspace (header, views, status bar), plus the dialogs of the moment. */
import { useEffect, useMemo, useState } from 'react';
import { useApp, useAppStore } from './store/store-context';
import { ConnectionsPane } from './features/connections/ConnectionsPane';
import { PasswordPrompt } from './features/connections/PasswordPrompt';
import { Header } from './features/header/Header';
import { Workspace } from './features/shell/Workspace';
import { StatusBar } from './features/status-bar/StatusBar';
import { PlanDialog } from './features/plan-dialog/PlanDialog';
import { RunProgress } from './features/run-progress/RunProgress';
import { RunAnnouncer } from './features/run-progress/RunAnnouncer';
import { EditedDiffDialog } from './features/evidence/EditedDiffDialog';
import { NewMigrationDialog } from './features/new-migration/NewMigrationDialog';
import { AdoptDialogs } from './features/adopt/AdoptDialogs';
import { RepairDialogHost } from './features/repair/RepairDialog';
import { ShortcutsDialog } from './features/shell/ShortcutsDialog';
import { UnauthorisedScreen } from './features/shell/UnauthorisedScreen';
import { useShortcuts } from './features/shell/useShortcuts';
import { useRereadOnFocus } from './features/live/useRereadOnFocus';
import { Splitter } from './components/Splitter';
import { ErrorMessage } from './components/ErrorMessage';
import { NARROW_WINDOW, useMediaQuery } from './format/use-media-query';

export function App() {
  const store = useAppStore();
  const unauthorised = useApp((s) => s.unauthorised);
  const fatal = useApp((s) => s.fatal);
  const ready = useApp((s) => s.ready);
  const busy = useApp((s) => s.run?.running ?? false);
  const environment = useApp((s) => s.profiles.find((p) => p.id === s.activeProfileId)?.environment);
  const [newMigration, setNewMigration] = useState(false);
  const [cheatSheet, setCheatSheet] = useState(false);
  const narrow = useMediaQuery(NARROW_WINDOW);
  const [connectionsWidth, setConnectionsWidth] = useState(260);
  const connectionsCollapsed = useApp((s) => s.connectionsCollapsed);
  const width = narrow ? Math.min(connectionsWidth, 232) : connectionsWidth;
  const handlers = useMemo(() => ({ newMigration: () => setNewMigration(true), cheatSheet: () => setCheatSheet(true) }), []);
  useShortcuts(store, handlers);
  useRereadOnFocus(store);
  const menuCommand = useApp((s) => s.menuCommand);
  useEffect(() => {
    if (menuCommand?.command === 'new-migration') setNewMigration(true);
  }, [menuCommand]);

  // App-ready signals for end-to-end tests (wait on these, never sleep).
  useEffect(() => {
    document.body.dataset.ready = ready ? 'true' : 'false';
  }, [ready]);
  useEffect(() => {
    if (busy) document.body.dataset.busy = 'true';
    else delete document.body.dataset.busy;
  }, [busy]);

  if (unauthorised) return <UnauthorisedScreen />;
  if (fatal) {
    return (
      <main className="fullscreen-message">
        <ErrorMessage error={fatal} title="Stepstone could not start" />
      </main>
    );
  }
  return (
    <div
      className="app"
      style={{ gridTemplateColumns: connectionsCollapsed ? 'minmax(0, 1fr)' : `${width}px 5px minmax(0, 1fr)` }}
      data-env={environment}
    >
      {/* First stop for the keyboard: straight to the migrations. */}
      <button type="button" className="skip-link" onClick={() => document.getElementById('migrations-list')?.focus()}>
        Skip to the migrations
      </button>
      {/* Kept mounted while folded away: its dialogs (Add connection, Open project) can still be asked for. */}
      <ConnectionsPane hidden={connectionsCollapsed} />
      {!connectionsCollapsed && <Splitter label="Resize connections" value={connectionsWidth} min={200} max={480} onChange={setConnectionsWidth} />}
      <main className="workspace">
        <Header onNewMigration={() => setNewMigration(true)} />
        <Workspace />
        <StatusBar onShortcuts={() => setCheatSheet(true)} />
      </main>
      <PlanDialog />
      <AdoptDialogs />
      <RepairDialogHost />
      <RunProgress />
      <PasswordPrompt />
      {newMigration && <NewMigrationDialog onClose={() => setNewMigration(false)} />}
      {cheatSheet && <ShortcutsDialog onClose={() => setCheatSheet(false)} />}
      <EditedDiffDialog />
      <RunAnnouncer />
    </div>
  );
}
