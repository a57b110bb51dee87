/** A yes/no question for destructive actions; Cancel has the focus, the action names itself. */
import { useState, type ReactNode } from 'react';
import type { ErrorInfo } from '../../shared/contract';
import { Button } from './Button';
import { Dialog } from './Dialog';
import { ErrorMessage } from './ErrorMessage';
import { TypedConfirmation, confirmationMatches, useConfirmationText } from './TypedConfirmation';

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  actionLabel: string;
  /** Resolve to an error to keep the dialog open and show it, or null when done. */
  onConfirm: (typed?: string) => Promise<ErrorInfo | null> | void;
  onClose: () => void;
  danger?: boolean;
  environment?: string;
  /** When set, the action is disabled until this is typed. */
  requireTyped?: string;
  /** Another reason the action is not available yet (e.g. an invalid field in the body). */
  blocked?: boolean;
}

export function ConfirmDialog({ title, children, actionLabel, onConfirm, onClose, danger = true, environment, requireTyped, blocked: blockedByBody = false }: ConfirmDialogProps) {
  const [typed, setTyped] = useConfirmationText(requireTyped);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const blocked = blockedByBody || (requireTyped !== undefined && !confirmationMatches(requireTyped, typed));
  return (
    <Dialog
      title={title}
      onClose={onClose}
      environment={environment}
      width="narrow"
      locked={busy}
      footer={
        <>
          <Button data-autofocus onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button
            variant={danger ? 'danger' : 'primary'}
            disabled={blocked || busy}
            onClick={async () => {
              setBusy(true);
              const result = await onConfirm(requireTyped !== undefined ? typed.trim() : undefined);
              setBusy(false);
              if (result) setError(result);
              else onClose();
            }}
          >
            {actionLabel}
          </Button>
        </>
      }
    >
      {children}
      {requireTyped !== undefined && <TypedConfirmation expected={requireTyped} value={typed} onChange={setTyped} />}
      {error && <ErrorMessage error={error} />}
    </Dialog>
  );
}
