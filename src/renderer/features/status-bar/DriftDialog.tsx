/** What changed in the schema outside migrations since the last Stepstone operation. */
import type { DriftReport } from '../../../shared/contract';
import { Dialog } from '../../components/Dialog';
import { Button } from '../../components/Button';
import { SchemaDiffView } from '../../components/SchemaDiffView';
import { exactTime } from '../../format/format';
import { useAppStore } from '../../store/store-context';

export function DriftDialog({ drift, onClose }: { drift: DriftReport; onClose: () => void }) {
  const store = useAppStore();
  const footer = (
    <>
      <Button data-autofocus onClick={onClose}>
        Close
      </Button>
      {drift.drifted && (
        <Button
          variant="primary"
          onClick={() => {
            onClose();
            store.getState().openGenerator({ kind: 'drift' });
          }}
        >
          Turn into a migration
        </Button>
      )}
    </>
  );
  return (
    <Dialog title="Schema drift" onClose={onClose} width="wide" footer={footer}>
      <p className="muted">
        Compared with the snapshot recorded {drift.recordedAt ? `on ${exactTime(drift.recordedAt)}` : 'after the last operation'} at head{' '}
        <span className="mono">{drift.head ?? 'empty'}</span>. These changes were made outside migrations.
      </p>
      <SchemaDiffView diff={drift.diff} emptyText="No drift." />
    </Dialog>
  );
}
