/** `stepstone upgrade` and `stepstone rollback`: plan, show, confirm, back up, execute. */
import type { PlanRequest } from '../../shared/plan';
import type { Engine } from '../../engine';
import { cliBackupPlace } from '../backup-place';
import { cliEngine } from '../cli-engine';
import { confirm } from '../confirm';
import { formatMs, formatPlan, formatRun } from '../format';
import { note, printJson, printLine } from '../output';
import type { ParsedCommand } from '../parse-args';
import { rollbackRequest, upgradeRequest } from '../plan-request';
import { resolveCliTarget } from '../resolve-cli-target';

export async function upgradeCommand(parsed: ParsedCommand): Promise<number> {
  const engine = cliEngine();
  return migrate(engine, parsed, upgradeRequest(engine, parsed.options));
}

export async function rollbackCommand(parsed: ParsedCommand): Promise<number> {
  const engine = cliEngine();
  return migrate(engine, parsed, rollbackRequest(engine, parsed.options));
}

async function migrate(engine: Engine, { options }: ParsedCommand, request: PlanRequest): Promise<number> {
  const backups = cliBackupPlace(options);
  const target = await resolveCliTarget(engine, options);
  // The one backup rule; a --no-backup on production is refused here, before connecting.
  const backup = engine.decideBackup(target.profile, { skip: options['no-backup'] ?? false });
  const db = await engine.openDatabase(target, { operation: request.kind });
  try {
    const plan = await engine.makePlan(db, request, { skipBackup: options['no-backup'] });
    const database = engine.databaseNameOf(target);
    if (plan.steps.length === 0) {
      // Nothing to run: no confirmation, no lock, no backup; the engine's empty result in its usual words.
      const result = await engine.executePlan(db, plan, { backup, backups });
      if (options.json) printJson(result);
      else printLine(result.stateAfter);
      return 0;
    }
    if (!options.json) printLine(formatPlan(plan, database));
    await confirm(`${request.kind === 'upgrade' ? 'Upgrade' : 'Roll back'} ${database}?`, { yes: options.yes, confirmation: plan.confirmation });
    const controller = new AbortController();
    const onSigint = () => {
      note('Cancelling…'); // the engine logs what the cancel does (roll back now, or stop after a non-transactional migration)
      controller.abort();
    };
    process.once('SIGINT', onSigint);
    try {
      const result = await engine.executePlan(db, plan, {
        backup,
        backups,
        onBackupLog: options.json ? undefined : note,
        onBackupWarning: note, // on stderr even with --json
        signal: controller.signal,
        onProgress: options.json
          ? undefined
          : (e) => {
              if (e.type === 'started') note(`${e.direction === 'up' ? '↑' : '↓'} ${e.name} …`);
              else if (e.type === 'finished') note(`  done in ${formatMs(e.durationMs)}`);
              else if (e.type === 'failed') note(`  failed after ${formatMs(e.durationMs)}: ${e.message}`);
              else if (e.type === 'cancelled') note(`  cancelled after ${formatMs(e.durationMs)}`);
              else note(e.message);
            },
      });
      if (options.json) printJson(result);
      else printLine(formatRun(result));
      if (result.outcome !== 'succeeded') {
        // A migration's own message may already end its sentence ('… if you must.'): one full stop, not two.
        process.stderr.write(`stepstone: ${(result.error?.message ?? result.outcome).replace(/[.!?]+$/, '')}. ${result.stateAfter}\n`);
        return 1;
      }
      return 0;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  } finally {
    await db.close();
  }
}
