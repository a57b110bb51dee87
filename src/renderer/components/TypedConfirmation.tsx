/** "Type <database> to confirm": the guard for production operations, asked when the engine says so. */
import { useId, useState } from 'react';
import type { Confirmation } from '../../shared/contract';
import { assertNever } from '../../shared/assert-never';

export interface TypedConfirmationProps {
  expected: string;
  value: string;
  onChange: (value: string) => void;
}

/**
 * The name to type, when the engine's `confirmation` (a plan's, a status's) asks for one; undefined for a
 * click, or while it is not known yet (the service still refuses a change it was not given).
 */
export function typedNameOf(confirmation: Confirmation | undefined): string | undefined {
  if (!confirmation) return undefined;
  switch (confirmation.kind) {
    case 'typed-name':
      return confirmation.name;
    case 'click':
      return undefined;
    default:
      return assertNever(confirmation, 'confirmation');
  }
}

/** True when the typed text matches exactly. */
export function confirmationMatches(expected: string, value: string): boolean {
  return value.trim() === expected;
}

/**
 * The text typed to confirm, belonging to one thing being confirmed (`confirming`: a plan request,
 * the expected name…): when that changes, the text starts empty again, so a name typed for one
 * operation never confirms another. Mount the owner per opening (a `key`) so each opening starts empty too.
 */
export function useConfirmationText(confirming: unknown): [string, (value: string) => void] {
  const [typed, setTyped] = useState<{ for: unknown; value: string }>({ for: confirming, value: '' });
  const value = Object.is(typed.for, confirming) ? typed.value : '';
  return [value, (next) => setTyped({ for: confirming, value: next })];
}

export function TypedConfirmation({ expected, value, onChange }: TypedConfirmationProps) {
  const id = useId();
  return (
    <div className="typed-confirmation">
      <label htmlFor={id}>
        Type <strong className="mono">{expected}</strong> to confirm
      </label>
      <input
        id={id}
        className="input mono"
        value={value}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={value !== '' && !confirmationMatches(expected, value)}
      />
    </div>
  );
}
