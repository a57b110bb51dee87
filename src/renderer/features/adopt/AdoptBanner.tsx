/** Above the timeline, on a database with tables and no applied migrations: "… no migration created — Adopt it…". */
import { useEffect } from 'react';
import { useApp, useAppStore } from '../../store/store-context';
import { Button } from '../../components/Button';
import { plural } from '../../format/format';
import { afterPaint } from '../../format/after-paint';

export function AdoptBanner() {
  const store = useAppStore();
  const profileId = useApp((s) => s.activeProfileId);
  const applied = useApp((s) => s.status?.applied.length ?? null);
  const adoption = useApp((s) => (s.adoption?.profileId === s.activeProfileId ? s.adoption.state : null));
  useEffect(() => {
    // Read again whenever the applied set changes (after a baseline it is no longer adoptable).
    // After the timeline's rows are painted.
    if (profileId && applied !== null) return afterPaint(() => void store.getState().loadAdoption());
  }, [profileId, applied, store]);
  if (!adoption?.adoptable) return null;
  return (
    <div className="adopt-banner" role="region" aria-label="Adopt this database">
      <span>
        This database has <strong>{plural(adoption.tables, 'table')}</strong> that no migration created —
      </span>
      <Button size="small" variant="primary" onClick={() => store.getState().openAdopt()}>
        Adopt it…
      </Button>
    </div>
  );
}
