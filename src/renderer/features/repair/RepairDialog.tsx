/**
 * Repair an interrupted non-transactional migration: what was found, the two repairs (each with
 * what it does, whether it fits now and the SQL it runs), then a confirmation naming exactly that.
 * The engine decides what fits; a refused repair shows its reason and changes nothing.
 */
import { useState } from 'react';
import type { ErrorInfo, InterruptedMigration, RepairAction } from '../../../shared/contract';
import { useApp, useAppStore } from '../../store/store-context';
import { Dialog } from '../../components/Dialog';
import { Button } from '../../components/Button';
import { ErrorMessage } from '../../components/ErrorMessage';
import { TypedConfirmation, confirmationMatches, typedNameOf, useConfirmationText } from '../../components/TypedConfirmation';
import { exactTime } from '../../format/format';
import { foundText, interruptedHeadline } from '../timeline/TimelineRow';
import { repairWords } from './repair-words';

/** The open Repair dialog, if any (mounted once by the app). */
export function RepairDialogHost() {
  const name = useApp((s) => s.repairFor);
  const entry = useApp((s) => s.status?.interrupted?.find((e) => e.name === s.repairFor) ?? null);
  const store = useAppStore();
  if (!name) return null;
  // Repaired meanwhile (here or by another process): the dialog has nothing left to repair.
  if (!entry) return null;
  return <RepairDialog key={entry.id} entry={entry} onClose={() => store.getState().closeRepair()} />;
}

export function RepairDialog({ entry, onClose }: { entry: InterruptedMigration; onClose: () => void }) {
  const store = useAppStore();
  const profile = useApp((s) => s.profiles.find((p) => p.id === s.activeProfileId));
  const database = useApp((s) => s.status?.database ?? '');
  // The engine's word on what a repair asks here (the database name typed on production).
  const typedName = useApp((s) => typedNameOf(s.status?.confirmation));
  const firstAvailable = entry.repairs.find((r) => r.available)?.action ?? null;
  const [choice, setChoice] = useState<RepairAction | null>(firstAvailable);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [typed, setTyped] = useConfirmationText(confirming ? choice : null);
  const chosen = entry.repairs.find((r) => r.action === choice) ?? null;
  const words = chosen ? repairWords(entry, chosen.action) : null;
  const typedOk = typedName === undefined || confirmationMatches(typedName, typed);

  async function repair() {
    if (!chosen) return;
    setBusy(true);
    const result = await store.getState().repairMigration(entry.name, chosen.action, typedName !== undefined ? typed.trim() : undefined);
    setBusy(false);
    if (result) setError(result);
    else onClose();
  }

  const footer = confirming ? (
    <>
      <Button data-autofocus onClick={onClose} disabled={busy}>
        Cancel
      </Button>
      <Button onClick={() => setConfirming(false)} disabled={busy}>
        Back
      </Button>
      <Button variant="danger" disabled={!typedOk || busy} onClick={() => void repair()}>
        {busy ? 'Repairing…' : words?.action}
      </Button>
    </>
  ) : (
    <>
      <Button data-autofocus onClick={onClose}>
        Cancel
      </Button>
      <Button variant="primary" disabled={!chosen?.available} onClick={() => (setError(null), setConfirming(true))}>
        Continue…
      </Button>
    </>
  );

  return (
    <Dialog title={`Repair ${entry.name}`} onClose={onClose} environment={profile?.environment} locked={busy} footer={footer} className="repair-dialog">
      <p className="repair-headline">
        <strong>{interruptedHeadline(entry)}</strong>, started {exactTime(entry.startedAt)} by <span className="mono">{entry.by}</span>.
      </p>
      <p className="muted">
        It runs outside a transaction, so what it did stayed; it is {entry.direction === 'up' ? 'not recorded as applied' : 'still recorded as applied'}.
      </p>
      <h3 className="repair-subtitle">Found</h3>
      <ul className="repair-found">
        {entry.objects.length === 0 ? <li>{foundText(entry)}</li> : null}
        {entry.objects.map((o) => (
          <li key={o.name}>
            <span className="mono">{o.name}</span> ({o.kind}):{' '}
            {!o.exists ? <span>does not exist</span> : o.valid === false ? <strong className="repair-invalid">INVALID</strong> : <span className="repair-valid">exists, valid</span>}
          </li>
        ))}
        {entry.stillRunning && (
          <li className="repair-invalid">
            Its statement still runs on the server (backend {entry.stillRunning.pid}): wait for it to end, or cancel it, before repairing.
          </li>
        )}
      </ul>
      {!confirming ? (
        <fieldset className="radio-group repair-choices">
          <legend>Choose the repair</legend>
          {entry.repairs.map((option) => {
            const w = repairWords(entry, option.action);
            return (
              <label key={option.action} className={`repair-choice${option.available ? '' : ' is-unavailable'}`}>
                <input type="radio" name="repair-action" value={option.action} checked={choice === option.action} disabled={!option.available} onChange={() => setChoice(option.action)} />
                <span>
                  <strong>{w.title}</strong>
                  <span className="repair-explanation">{w.explanation}</span>
                  <span className={option.available ? 'repair-reason' : 'repair-reason repair-invalid'}>
                    {option.available ? 'Fits: ' : 'Not available: '}
                    {option.reason}.
                  </span>
                  {option.sql.length > 0 && <code className="repair-sql">{option.sql.map((q) => `${q};`).join('\n')}</code>}
                </span>
              </label>
            );
          })}
        </fieldset>
      ) : (
        chosen &&
        words && (
          <div className="repair-confirm" role="group" aria-label="Confirm the repair">
            <p>
              <strong>{words.title}</strong> on <span className="mono">{database}</span>: {chosen.label}.
            </p>
            {chosen.sql.length > 0 ? (
              <>
                <p>It runs:</p>
                <code className="repair-sql">{chosen.sql.map((q) => `${q};`).join('\n')}</code>
              </>
            ) : (
              <p>It runs no SQL on your objects; only Stepstone's ledger and journal are written.</p>
            )}
            <p className="muted">The repair is recorded in History. Knex's lock row the interrupted run left set is released with it when no other process holds it.</p>
            {typedName !== undefined && <TypedConfirmation expected={typedName} value={typed} onChange={setTyped} />}
          </div>
        )
      )}
      {error && <ErrorMessage error={error} title="Not repaired" />}
    </Dialog>
  );
}
