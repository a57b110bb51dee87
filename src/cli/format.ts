/** Human-readable output of the CLI (the --json output is the domain values themselves). */
import type { Leftovers } from '../shared/backup';
import type { HistoryEntry } from '../shared/history';
import type { InterruptedMigration } from '../shared/interrupted-migration';
import type { Plan } from '../shared/plan';
import type { RunResult } from '../shared/run';
import type { MigrationStatus } from '../shared/status';

const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string) => (s: string) => (useColour ? `\u001b[${code}m${s}\u001b[0m` : s);
export const dim = paint('2');
export const green = paint('32');
export const red = paint('31');
export const yellow = paint('33');
export const bold = paint('1');

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatStatus(status: MigrationStatus): string {
  const lines: string[] = [];
  lines.push(`${bold('Database')} ${status.database} (PostgreSQL ${status.serverVersion})`);
  lines.push(`${bold('Head')}     ${status.head ?? dim('none (no migrations applied)')}`);
  const lock = status.lock;
  lines.push(`${bold('Lock')}     ${lock.state === 'free' ? 'free' : lock.state === 'live' ? yellow(`held by a running process (pid ${lock.holders.map((h) => h.pid).join(', ')})`) : red('stale (set, but no live holder) — release with `stepstone unlock`')}`);
  lines.push('');
  for (const a of status.applied) {
    const flags = [
      a.missing ? red('file missing') : '',
      a.edited ? yellow('edited since applied') : '',
      a.stamped ? dim('stamped (recorded as applied, not run)') : '',
      a.recordedChecksum === null ? dim('applied by another tool') : '',
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`${green('✓')} ${a.name}  ${dim(`batch ${a.batch}, ${a.appliedAt}${a.durationMs !== null ? `, ${formatMs(a.durationMs)}` : ''}${a.appliedBy ? `, ${a.appliedBy}` : ''}`)}${flags ? `  ${flags}` : ''}`);
  }
  if (status.pending.length) lines.push(dim(`── ${status.pending.length} pending ──`));
  for (const p of status.pending) lines.push(`○ ${p.name}${p.outOfOrder ? `  ${yellow('out of order')}` : ''}`);
  if (!status.applied.length && !status.pending.length) lines.push(dim('No migrations.'));
  if (status.interrupted?.length) lines.push('', formatInterrupted(status.interrupted));
  for (const o of status.interruptedOperations ?? []) {
    lines.push('', yellow(`Interrupted ${o.operation} #${o.id} (started ${o.startedAt} by ${o.by})${o.migration ? ` during ${o.migration}` : ''}: it was cut off before it recorded an end; see \`stepstone history\`.`));
  }
  return lines.join('\n');
}

/** Interrupted non-transactional migrations: what was found, and each repair with its command. */
export function formatInterrupted(entries: InterruptedMigration[]): string {
  const lines: string[] = [];
  for (const e of entries) {
    lines.push(red(`! ${e.summary}`));
    if (e.invalidIndexes.length) lines.push(`  Invalid indexes in this database: ${e.invalidIndexes.join(', ')}`);
    for (const r of e.repairs) {
      const command = `stepstone repair ${e.name} --action ${r.action}`;
      lines.push(`  ${r.available ? green('→') : dim('×')} ${r.label}${r.available ? `: ${command}` : dim(` (not now: ${r.reason})`)}`);
      for (const sql of r.available ? r.sql : []) lines.push(dim(`      ${sql};`));
    }
  }
  return lines.join('\n');
}

export function formatPlan(plan: Plan, database: string): string {
  const verb = plan.direction === 'up' ? 'Upgrade' : 'Roll back';
  const lines = [`${bold(`${verb} ${database}`)}: ${plan.steps.length} migration${plan.steps.length === 1 ? '' : 's'} (${plan.transaction === 'single' ? 'one transaction' : 'one transaction per migration'})`];
  plan.steps.forEach((s, i) => lines.push(`  ${i + 1}. ${s.direction === 'up' ? '↑' : '↓'} ${s.name}${s.transactional ? '' : yellow('  (no transaction)')}`));
  for (const w of plan.warnings) lines.push(yellow(`  ! ${w}`));
  return lines.join('\n');
}

export function formatRun(result: RunResult): string {
  const lines = result.steps.map((s) => {
    const mark = s.outcome === 'applied' || s.outcome === 'reverted' ? green('✓') : s.outcome === 'failed' ? red('✗') : s.outcome === 'rolled-back' ? yellow('↶') : dim('·');
    return `${mark} ${s.name}  ${dim(`${s.outcome}${s.durationMs !== null ? `, ${formatMs(s.durationMs)}` : ''}`)}${s.error ? `\n    ${red(s.error)}` : ''}`;
  });
  lines.push(result.outcome === 'succeeded' ? green(result.stateAfter) : red(`${result.outcome === 'cancelled' ? 'Cancelled' : 'Failed'}: ${result.stateAfter}`));
  if (result.backupId) lines.push(dim(`Backup taken before: ${result.backupId}`));
  return lines.join('\n');
}

function outcomeMark(outcome: HistoryEntry['outcome']): string {
  switch (outcome) {
    case 'succeeded':
      return green('✓');
    case 'failed':
      return red('✗');
    case 'cancelled':
      return yellow('⊘');
    case 'running':
      return yellow('…');
    case 'interrupted':
      return yellow('!');
  }
}

export function formatHistory(entries: HistoryEntry[]): string {
  if (!entries.length) return dim('No history yet.');
  return entries
    .map((e) => {
      const mark = outcomeMark(e.outcome);
      const migration = typeof e.details?.migration === 'string' ? e.details.migration : null;
      const cut = e.outcome === 'interrupted' ? `\n    ${yellow(`interrupted${migration ? ` during ${migration}` : ''}: the run was cut off (killed or disconnected) before it recorded an end`)}` : '';
      const range = e.operation === 'upgrade' || e.operation === 'rollback' ? `${e.headBefore ?? '∅'} → ${e.headAfter ?? '∅'}` : '';
      return `${mark} #${e.id} ${e.operation.padEnd(8)} ${e.startedAt}  ${formatMs(e.durationMs).padStart(8)}  ${e.osUser}@${e.host}  ${range}${cut}${e.error ? `\n    ${red(e.error.message)}` : ''}`;
    })
    .join('\n');
}

/** Leftovers of interrupted backups, restores and dry runs: what was removed now and what remains (empty text when none). */
export function formatLeftovers(l: Leftovers): string {
  const lines: string[] = [];
  if (l.removedPartialFiles) lines.push(dim(`Removed ${l.removedPartialFiles} stale partial backup file${l.removedPartialFiles === 1 ? '' : 's'} (their backups were killed).`));
  if (l.droppedDatabases.length) lines.push(dim(`Dropped ${l.droppedDatabases.length} database${l.droppedDatabases.length === 1 ? '' : 's'} left by interrupted runs: ${l.droppedDatabases.join(', ')}.`));
  const partials = l.partialFiles;
  if (partials.length) lines.push(yellow(`${partials.length} partial backup file${partials.length === 1 ? '' : 's'} ${partials.every((p) => !p.stale) ? 'being written' : 'left'}: ${partials.map((p) => `${p.file}${p.writer ? ` (pid ${p.writer.pid} on ${p.writer.host})` : ''}`).join(', ')}`));
  for (const d of l.databases) lines.push(yellow(`Database ${d.name}: created for ${d.purpose}${d.pid !== null ? ` by pid ${d.pid} on ${d.host}` : ''}${d.createdAt ? ` at ${d.createdAt}` : ''}${d.stale ? ' — its creator is gone (stepstone restore --cleanup drops it)' : ' — still in use'}`));
  return lines.join('\n');
}
