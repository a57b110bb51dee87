/** What the last repair or clean-up did, for the active connection, until dismissed (one place for the banner and the Backups tab). */
import { useApp, useAppStore } from '../../store/store-context';
import { Button } from '../../components/Button';

export function RepairNotice({ message }: { message: string }) {
  const store = useAppStore();
  return (
    <div className="repair-notice" role="status">
      <span>{message}</span>
      <Button size="small" variant="ghost" onClick={() => store.getState().dismissRepairNotice()}>
        Dismiss
      </Button>
    </div>
  );
}

/** The active connection's repair notice, or null. */
export function useRepairNotice(): string | null {
  return useApp((s) => (s.repairNotice?.profileId === s.activeProfileId ? s.repairNotice.message : null));
}
