/** The Verify button of a backup and what it found. */
import type { Backup } from '../../../shared/contract';
import { useApp, useAppStore } from '../../store/store-context';
import { Button } from '../../components/Button';

export function VerifyCell({ backup }: { backup: Backup }) {
  const verification = useApp((s) => s.verifications[backup.id]);
  const store = useAppStore();
  const result = verification?.data;
  return (
    <>
      <Button size="small" disabled={verification?.loading} onClick={() => void store.getState().verifyBackup(backup.id)}>
        {verification?.loading ? 'Verifying…' : 'Verify'}
      </Button>
      {result && (
        <span className={`verify-result ${result.ok ? 'is-ok' : 'is-bad'}`} role="status" title={result.message}>
          {result.ok ? '✓ ' : '! '}
          {result.message}
        </span>
      )}
      {verification?.error && (
        <span className="verify-result is-bad" role="status" title={verification.error.hint}>
          ! {verification.error.message}
        </span>
      )}
    </>
  );
}
