/** `stepstone upgrade` and `stepstone rollback`: plan, show, confirm, back up, execute. */
import type { PlanRequest } from '../../shared/domain';
import { databaseNameOf } from '../../engine/connection/connection-target';
import { openDatabase } from '../../engine/database/open-database';
import { makePlan } from '../../engine/plan/make-plan';
import { executePlan } from '../../engine/run/execute-plan';
import { confirm } from '../confirm';
import { formatMs, formatPlan, formatRun } from '../format';
import { note, printJson, printLine } from '../output';
import type { ParsedCommand } from '../parse-args';
import { rollbackRequest, upgradeRequest } from '../plan-request';
import { resolveCliTarget } from '../resolve-cli-target';
import { backupBeforeRun } from '../backup-before-run';

export async function upgradeCommand(parsed: ParsedCommand): Promise<number> {
  return migrate(parsed, upgradeRequest(parsed.options));
}

export async function rollbackCommand(parsed: ParsedCommand): Promise<number> {
  return migrate(parsed, rollbackRequest(parsed.options));
}

async function migrate({ options }: ParsedCommand, request: PlanRequest): Promise<number> {
  const target = await resolveCliTarget(options);
  const production = target.profile.environment === 'production';
  const beforeRun = await backupBeforeRun(target, options); // refuses --no-backup on production before connecting
  const db = await openDatabase(target, { operation: request.kind });
  try {
    const plan = await makePlan(db, request);
    const database = databaseNameOf(target);
    if (plan.steps.length === 0) {
      const message = request.kind === 'upgrade' ? 'Already up to date.' : 'Nothing to roll back.';
      if (options.json) printJson({ plan, outcome: 'succeeded', steps: [], durationMs: 0, error: null, headAfter: plan.headBefore, stateAfter: message, historyId: null, backupId: null });
      else printLine(message);
      return 0;
    }
    if (!options.json) printLine(formatPlan(plan, database));
    await confirm(`${request.kind === 'upgrade' ? 'Upgrade' : 'Roll back'} ${database}?`, { yes: options.yes, typeToConfirm: production ? database : undefined });
    const controller = new AbortController();
    const onSigint = () => {
      note('Cancelling…'); // the engine logs what the cancel does (roll back now, or stop after a non-transactional migration)
      controller.abort();
    };
    process.once('SIGINT', onSigint);
    try {
      const result = await executePlan(db, plan, {
        signal: controller.signal,
        beforeRun,
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
        process.stderr.write(`stepstone: ${result.error?.message ?? result.outcome}. ${result.stateAfter}\n`);
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
