/**
 * Above the timeline, while something needs the user: non-transactional migrations a dead run left
 * half-done (each with what was found and Repair…), what interrupted backups and restores left
 * (with a way to the Backups view), and what the last repair or clean-up did.
 */
import { useApp, useAppStore } from '../../store/store-context';
import { Button } from '../../components/Button';
import { RepairNotice, useRepairNotice } from './RepairNotice';
import { byteSize, plural } from '../../format/format';
import { foundText, interruptedHeadline } from '../timeline/TimelineRow';
import type { Leftovers } from '../../../shared/contract';

/** "1 database of an interrupted restore, 2 partial backup files (40.1 MB)"; null when nothing is left. */
export function leftoversSummary(leftovers: Leftovers | null): string | null {
  if (!leftovers) return null;
  const parts: string[] = [];
  const restores = leftovers.databases.filter((d) => d.purpose.startsWith('restore')).length;
  const others = leftovers.databases.length - restores;
  if (restores) parts.push(`${plural(restores, 'database')} of an interrupted restore`);
  if (others) parts.push(`${plural(others, 'temporary database')}`);
  if (leftovers.partialFiles.length) {
    const bytes = leftovers.partialFiles.reduce((sum, f) => sum + f.sizeBytes, 0);
    parts.push(`${plural(leftovers.partialFiles.length, 'partial backup file')} (${byteSize(bytes)})`);
  }
  return parts.length ? parts.join(', ') : null;
}

const NONE: never[] = [];

export function InterruptedBanner() {
  const store = useAppStore();
  const interrupted = useApp((s) => s.status?.interrupted ?? NONE);
  const leftovers = useApp((s) => s.leftovers);
  const notice = useRepairNotice();
  const left = leftoversSummary(leftovers);
  if (!interrupted.length && !left && !notice) return null;
  return (
    <div className="repair-banners">
      {interrupted.length > 0 && (
        <section className="interrupted-banner" role="region" aria-label="Interrupted migrations">
          {interrupted.map((entry) => (
            <div key={entry.id} className="interrupted-item">
              <span className="interrupted-icon" aria-hidden="true">
                ⚠
              </span>
              <span className="interrupted-text">
                <strong>{interruptedHeadline(entry)}</strong>
                <span className="interrupted-found">Found: {foundText(entry)}.</span>
              </span>
              <Button size="small" onClick={() => store.getState().openRepair(entry.name)} aria-label={`Repair ${entry.name}…`}>
                Repair…
              </Button>
            </div>
          ))}
        </section>
      )}
      {left && (
        <section className="leftovers-banner" role="region" aria-label="Leftovers of interrupted operations">
          <span>Left by interrupted operations: {left}.</span>
          <Button size="small" variant="ghost" onClick={() => store.getState().setView('backups')}>
            Review in Backups
          </Button>
        </section>
      )}
      {notice && (
        <RepairNotice message={notice} />
      )}
    </div>
  );
}
