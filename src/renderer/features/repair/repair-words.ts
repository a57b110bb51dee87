/** The words of the two repairs, by direction: what each does and when it is the right one. */
import type { InterruptedMigration, RepairAction } from '../../../shared/contract';

export interface RepairWords {
  title: string;
  explanation: string;
  /** The button of the confirmation step. */
  action: string;
}

/** Title and explanation of `action` for `entry` (the engine's label and reason are shown beside them). */
export function repairWords(entry: InterruptedMigration, action: RepairAction): RepairWords {
  const invalid = entry.objects.some((o) => o.exists && o.valid === false);
  if (entry.direction === 'up') {
    return action === 'retry'
      ? {
          title: invalid ? 'Drop the invalid index and re-run' : 'Clear it and re-run',
          explanation: invalid
            ? 'An index whose CONCURRENTLY build did not finish is INVALID: queries never use it, yet every write still updates it. It is dropped and the interruption cleared; the next upgrade runs the migration again from the start.'
            : 'What the interrupted run left is dropped and the interruption cleared; the next upgrade runs the migration again from the start.',
          action: invalid ? 'Drop index and clear' : 'Clear the interruption',
        }
      : {
          title: 'Mark as applied',
          explanation:
            'For when the object is complete and valid: the statement finished on the server, but the run died before recording it. Nothing is run; the migration is recorded as applied.',
          action: 'Mark as applied',
        };
  }
  return action === 'complete'
    ? {
        title: invalid ? 'Drop the invalid index and mark as rolled back' : 'Mark as rolled back',
        explanation:
          'For when what the rollback drops is gone: the migration is removed from the ledger as if the rollback had ended normally (an index left INVALID by an unfinished DROP INDEX CONCURRENTLY is dropped first).',
        action: 'Mark as rolled back',
      }
    : {
        title: 'Clear it and roll back again',
        explanation: 'For when what the rollback drops is still there: the interruption is cleared and the migration stays applied; the next rollback runs its down again.',
        action: 'Clear the interruption',
      };
}
