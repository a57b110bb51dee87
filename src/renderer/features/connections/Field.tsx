/** A labelled form field with its error and help text wired for screen readers. */
import { useId, type ReactElement, cloneElement } from 'react';

export function Field({ label, error, help, children }: { label: string; error?: string; help?: string; children: ReactElement<Record<string, unknown>> }) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : '', help ? `${id}-help` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {error && (
        <div id={`${id}-error`} className="field-error">
          {error}
        </div>
      )}
      {help && (
        <div id={`${id}-help`} className="field-help">
          {help}
        </div>
      )}
    </div>
  );
}
