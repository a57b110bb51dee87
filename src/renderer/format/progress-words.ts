/** A progress event as a log line, the same words live (the run view) and afterwards (a run's kept log). */
import type { ProgressEvent } from '../../shared/contract';
import { assertNever } from '../../shared/assert-never';

/** The line for `event`; `position`/`total` place a started migration in its plan. */
export function progressMessage(event: ProgressEvent, position: number, total: number): { level: 'info' | 'warn' | 'error'; message: string } {
  switch (event.type) {
    case 'started':
      return { level: 'info', message: `${event.direction === 'up' ? 'Applying' : 'Reverting'} ${event.name} (${position} of ${total})` };
    case 'finished':
      return { level: 'info', message: `Done ${event.name} in ${Math.round(event.durationMs)} ms` };
    case 'failed':
      return { level: 'error', message: `Failed ${event.name}: ${event.message}` };
    case 'cancelled':
      return { level: 'warn', message: `Cancelled ${event.name} after ${Math.round(event.durationMs)} ms` };
    case 'log':
      return { level: event.level, message: event.message };
    default:
      return assertNever(event, 'progress event');
  }
}
