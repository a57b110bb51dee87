/** Human-readable output of baseline, stamp, generate and check (their --json is the result itself). */
import type { BaselineResult, ChangeSummary, CheckResult, GenerateResult, StampResult, Verification } from '../shared/adopt';
import { bold, dim, green, red, yellow } from './format';
import { assertNever } from '../shared/assert-never';

function summaryLines(s: ChangeSummary): string[] {
  const lines = [`${s.added.length} added, ${s.altered.length} altered, ${s.dropped.length} dropped${s.renamed.length ? `, ${s.renamed.length} renamed` : ''}`];
  const list = (label: string, mark: string, items: string[]) => {
    if (!items.length) return;
    const shown = items.slice(0, 20).map((i) => `  ${mark} ${i}`);
    lines.push(...shown, ...(items.length > 20 ? [dim(`  … and ${items.length - 20} more ${label}`)] : []));
  };
  list('added', green('+'), s.added);
  list('altered', yellow('~'), s.altered);
  list('dropped', red('-'), s.dropped);
  list('renamed', yellow('→'), s.renamed);
  return lines;
}

/** The verification in a few lines: each direction's outcome, then the differences found. */
export function verificationText(v: Verification, previous: string): string[] {
  const word = (status: string) => (status === 'matches' ? green('✓ matches') : status === 'not-run' ? dim('not run') : red(`✗ ${status}`));
  // What each direction was compared with; a down that throws by design was compared with nothing.
  const outcome = (status: string, against: string) =>
    status === 'irreversible' ? `${yellow('refuses by design')} ${dim('(see Warnings): it throws instead of reverting')}` : `${word(status)} ${dim(against)}`;
  const lines = [
    `${bold('Verification')} ${dim(`on ${v.shadow}`)}`,
    `  up       ${outcome(v.up.status, 'the desired schema')}`,
    `  down     ${outcome(v.down.status, previous)}`,
  ];
  if (v.upAgain) lines.push(`  up again ${outcome(v.upAgain.status, 'the desired schema')}`);
  for (const [label, check] of [['up', v.up], ['down', v.down], ['up again', v.upAgain]] as const) {
    if (!check) continue;
    if (check.error && check.status !== 'irreversible') lines.push(red(`  ${label}: ${check.error}`));
    for (const d of check.differences) lines.push(`  ${label}: ${d}`);
  }
  lines.push(...v.notes.map((n) => dim(`  note: ${n}`)));
  return lines;
}

function listed(title: string, items: readonly string[], paint: (s: string) => string): string[] {
  return items.length ? [paint(title), ...items.map((i) => `  ${i}`)] : [];
}

export function formatBaseline(r: BaselineResult): string {
  const lines = [bold(`Baseline ${r.name}`), ...summaryLines(r.summary), '', ...verificationText(r.verification, 'an empty database')];
  lines.push(...listed('Not reproduced (the introspection cannot capture these):', r.unsupported, yellow));
  if (r.status === 'stamped') {
    lines.push('', green(`Wrote ${r.file} and recorded it as applied (batch ${r.batch})${r.forced ? ' — FORCED, recorded in the history' : ''}.`), dim('The database itself was not changed.'));
  } else {
    lines.push('', red('Nothing was written or recorded.'), dim('Pass --force to write and stamp it anyway (recorded in the history).'));
  }
  return lines.join('\n');
}

export function formatStamp(r: StampResult, database: string): string {
  switch (r.status) {
    case 'nothing-to-stamp':
      return green('Nothing to stamp: those migrations are already applied.');
    case 'refused':
      return [
        red(`Not stamped: the migrations do not give the schema of ${database}.`),
        dim(`Compared on the ${r.shadow}; live (-) versus migrations (+):`),
        ...r.differences.map((d) => `  ${d}`),
        dim('Nothing was recorded. Pass --force to stamp anyway (recorded in the history).'),
      ].join('\n');
    case 'stamped':
      return [
        green(`Recorded ${r.migrations.length} migration${r.migrations.length === 1 ? '' : 's'} as applied in ${database} (batch ${r.batch})${r.forced ? ' — FORCED despite differences, recorded in the history' : ''}:`),
        ...r.migrations.map((m) => `  ${m}`),
        dim(r.forced ? 'Differences overridden:' : `Verified on the ${r.shadow}: they give exactly the live schema.`),
        ...(r.forced ? r.differences.map((d) => `  ${d}`) : []),
      ].join('\n');
    default:
      return assertNever(r.status, 'stamp status');
  }
}

export function formatGenerate(r: GenerateResult): string {
  if (r.status === 'no-changes') return green(`No changes: the migrations already give ${r.source}.`);
  const lines = [bold(`${r.status === 'written' ? 'Wrote' : 'Generated'} ${r.file}`), dim(`from ${r.source}`), ...summaryLines(r.summary)];
  lines.push(...listed('Data loss (up drops these and their data):', r.dataLoss, red));
  if (r.renameCandidates.length) {
    lines.push(yellow('Possible renames (written as drop + add; say so to rename instead):'));
    lines.push(...r.renameCandidates.map((c) => `  ${c.from} → ${c.to}   ${dim(c.option)}`));
  }
  lines.push(...listed('Warnings:', r.warnings, yellow));
  if (r.verification) lines.push('', ...verificationText(r.verification, 'the previous schema'));
  if (r.status === 'not-written') lines.push('', red('Nothing was written.'), dim('Pass --force to write it anyway (the differences go in its header).'));
  else if (r.forced) lines.push('', yellow('Written with --force: the differences are in its header.'));
  return lines.join('\n');
}

export function formatCheck(r: CheckResult): string {
  if (r.ok) return green(`All checks passed (${r.checked.join(', ')}).`);
  return r.problems.map((p) => `${red('✗')} ${p.kind}: ${p.message}`).join('\n');
}
