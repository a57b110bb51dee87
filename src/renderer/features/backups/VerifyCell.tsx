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
  const progress = useApp((s) => s.verifyProgress[backup.id]);
  const result = verification?.data;
  if (verification?.loading) {
    return (
      <div className="verify-result is-running" role="status" title={progress}>
        Verifying: {progress ?? 'restoring into a scratch database…'}
      </div>
    );
  }
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
