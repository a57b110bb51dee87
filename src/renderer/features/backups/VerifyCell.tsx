/** The Verify button of a backup, and the line saying what it found. */
import type { Backup } from '../../../shared/contract';
import { useApp, useAppStore } from '../../store/store-context';
import { Button } from '../../components/Button';

export function VerifyButton({ backup }: { backup: Backup }) {
  const verification = useApp((s) => s.verifications[backup.id]);
  const store = useAppStore();
  return (
    <Button size="small" disabled={verification?.loading} onClick={() => void store.getState().verifyBackup(backup.id)}>
      {verification?.loading ? 'Verifying…' : 'Verify'}
    </Button>
  );
}

export function VerifyResultLine({ backup }: { backup: Backup }) {
  const verification = useApp((s) => s.verifications[backup.id]);
  const result = verification?.data;
  if (result) {
    return (
      <div className={`verify-result ${result.ok ? 'is-ok' : 'is-bad'}`} role="status" title={result.message}>
        {result.ok ? '✓ ' : '! '}
        {result.message}
      </div>
    );
  }
  if (verification?.error) {
    return (
      <div className="verify-result is-bad" role="status" title={verification.error.hint}>
        ! {verification.error.message}
      </div>
    );
  }
  return null;
}
