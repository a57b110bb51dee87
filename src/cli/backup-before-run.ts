/** The automatic backup before an upgrade or rollback, as the CLI wires it. */
import type { Plan } from '../shared/domain';
import type { ConnectionTarget } from '../engine/connection/connection-target';
import type { CliOptions } from './parse-args';

/** A `beforeRun` hook that backs up first, or undefined when backups are off for this run. */
export function backupBeforeRun(
  target: ConnectionTarget,
  options: CliOptions,
  _output: { json: boolean },
): ((plan: Plan) => Promise<{ backupId: string } | null>) | undefined {
  if (options['no-backup'] && target.profile.environment !== 'production') return undefined;
  if (!target.profile.backupBeforeMigrate && target.profile.environment !== 'production') return undefined;
  // Wired to the backup engine once it lands (src/engine/backup).
  return undefined;
}
