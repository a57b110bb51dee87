/** An error as the user reads it: the message, then what to do (hint), and the migration when known. */
import type { ErrorInfo } from '../../shared/contract';

export function ErrorMessage({ error, title }: { error: ErrorInfo; title?: string }) {
  return (
    <div className="error-box" role="alert">
      {title && <strong className="error-title">{title}</strong>}
      <div className="error-message">{error.message}</div>
      {error.migration && <div className="error-migration">Migration: <span className="mono">{error.migration}</span></div>}
      {error.hint && <div className="error-hint">{error.hint}</div>}
    </div>
  );
}
