/**
 * Modal dialog: traps Tab inside, closes on Esc, focuses the element marked `data-autofocus`
 * (Cancel, for destructive dialogs) or the first control, and gives focus back on close.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface DialogProps {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  /** Environment tint for the header (plan and restore dialogs). */
  environment?: string;
  width?: 'narrow' | 'normal' | 'wide';
  /** Esc and the backdrop do nothing while true (a run in progress). */
  locked?: boolean;
  describedBy?: string;
  /** Extra class on the dialog box (layout of a particular dialog). */
  className?: string;
}

const focusableSelector =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Dialog({ title, onClose, children, footer, environment, width = 'normal', locked = false, describedBy, className }: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  const lockedRef = useRef(locked);
  lockedRef.current = locked;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const root = ref.current;
    const target = root?.querySelector<HTMLElement>('[data-autofocus]') ?? root?.querySelector<HTMLElement>(focusableSelector) ?? root;
    target?.focus();
    return () => {
      if (previous && document.contains(previous)) previous.focus();
      // The opener may be gone or disabled now (e.g. "Restore" after restoring): focus then goes to the
      // dialog still open underneath, never to the page behind its overlay.
      if (document.activeElement === previous && previous !== document.body) return;
      const parent = Array.from(document.querySelectorAll<HTMLElement>('[role="dialog"]')).filter((d) => d !== root).at(-1);
      if (parent) (parent.querySelector<HTMLElement>('[data-autofocus]:not(:disabled)') ?? parent).focus();
    };
  }, []);

  function onKeyDown(event: React.KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      if (!lockedRef.current) onCloseRef.current();
      return;
    }
    if (event.key !== 'Tab' || !ref.current) return;
    const focusable = Array.from(ref.current.querySelectorAll<HTMLElement>(focusableSelector)).filter((el) => el.offsetParent !== null);
    if (focusable.length === 0) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !locked && onClose()}>
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={describedBy}
        className={`dialog dialog-${width}${className ? ` ${className}` : ''}`}
        data-env={environment}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <div className={`dialog-header${environment ? ' dialog-header-env' : ''}`}>
          <h2 id={titleId}>{title}</h2>
        </div>
        <div className="dialog-body">{children}</div>
        {footer && <div className="dialog-footer">{footer}</div>}
      </div>
    </div>
  );
}
