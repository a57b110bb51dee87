/** "Type <database> to confirm": the guard for production operations. */
import { useId } from 'react';

export interface TypedConfirmationProps {
  expected: string;
  value: string;
  onChange: (value: string) => void;
}

/** True when the typed text matches exactly. */
export function confirmationMatches(expected: string, value: string): boolean {
  return value.trim() === expected;
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
