/** "Checked 10 s ago" and a Refresh button: when the shown state was read, and a way to read it again. */
import { useApp, useAppStore } from '../../store/store-context';
import { useNow } from '../../format/use-now';
import { Button } from '../../components/Button';
import { clockTime } from '../../format/format';

/** "just now", "10 s ago", "3 min ago". */
export function checkedAgo(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.floor(minutes / 60)} h ago`;
}

export function RefreshControl() {
  const checkedAt = useApp((s) => s.statusCheckedAt);
  const loading = useApp((s) => s.statusLoading);
  const store = useAppStore();
  const now = useNow(1000);
  return (
    <div className="refresh-control">
      <span className="faint refresh-when" aria-live="off" title={checkedAt ? clockTime(checkedAt) : undefined}>
        {loading ? 'checking…' : checkedAt ? `checked ${checkedAgo(checkedAt, now)}` : ''}
      </span>
      <Button size="small" variant="ghost" onClick={() => void store.getState().refreshAll()} disabled={loading} title="Read the migrations, lock, history and backups again">
        ↻ Refresh
      </Button>
    </div>
  );
}
