/** The keyboard cheat sheet (press ?). */
import { Dialog } from '../../components/Dialog';
import { Button } from '../../components/Button';

export const shortcuts: [string, string][] = [
  ['↑ ↓ or j k', 'Move the selection in the timeline'],
  ['Enter', 'Upgrade / roll back to the selected migration (opens the plan)'],
  ['u', 'Plan an upgrade'],
  ['r', 'Plan a rollback'],
  ['n', 'New migration…'],
  ['1 2 3', 'Timeline, History, Backups'],
  ['/', 'Filter the timeline (name, pending, failed, batch:3…)'],
  ['Esc', 'Close a dialog'],
  ['?', 'This list'],
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} width="narrow" footer={<Button data-autofocus onClick={onClose}>Close</Button>}>
      <p className="muted">Shortcuts open dialogs; nothing runs without a confirmation.</p>
      <dl className="shortcuts">
        {shortcuts.map(([keys, what]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
