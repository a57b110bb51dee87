/**
 * First run: a welcome over the demo saying what Stepstone is and what to do next (add a connection,
 * open a project, or try the demo). Not a dialog: the demo stays usable around it; closed for good.
 */
import { useState } from 'react';
import { useApp, useAppStore } from '../../store/store-context';
import { Button } from '../../components/Button';

const DISMISSED = 'stepstone.welcome-dismissed';

function dismissedBefore(): boolean {
  try {
    return window.localStorage.getItem(DISMISSED) === 'yes';
  } catch {
    return false;
  }
}

export function Welcome() {
  const store = useAppStore();
  // Only on a first run: the demo is open and nothing of the user's is saved yet.
  const firstRun = useApp((s) => {
    const active = s.profiles.find((p) => p.id === s.activeProfileId);
    return active?.kind === 'embedded' && active.builtIn && s.profiles.every((p) => p.builtIn);
  });
  const [dismissed, setDismissed] = useState(dismissedBefore);
  if (!firstRun || dismissed) return null;
  const dismiss = () => {
    setDismissed(true);
    try {
      window.localStorage.setItem(DISMISSED, 'yes');
    } catch {
      // closed for this window only
    }
  };
  return (
    <section className="welcome" role="region" aria-label="Welcome">
      <div className="welcome-text">
        <h2>Welcome to Stepstone</h2>
        <p>
          Stepstone shows a project’s Knex migrations on PostgreSQL — what is applied, what is pending, what each one does to the schema — and runs them with a
          plan, a dry run and a backup first.
        </p>
        <p className="muted">This is the demo: a sample project on a database inside the app. Upgrade, roll back and look around freely; nothing leaves it.</p>
      </div>
      <div className="welcome-actions">
        <Button variant="primary" onClick={() => store.getState().requestCommand('add-connection')}>
          Add connection
        </Button>
        <Button onClick={() => store.getState().requestCommand('open-project')}>Open project…</Button>
        <Button variant="ghost" onClick={dismiss}>
          Explore the demo
        </Button>
      </div>
    </section>
  );
}
