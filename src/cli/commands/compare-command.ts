/**
 * `stepstone compare --env staging --env production` (a knexfile's environments) or
 * `stepstone compare --db <url> --db <url>`: applied migrations side by side, checksum differences
 * and the schema difference. One side unreachable: the other is still shown, the error explained
 * (exit 1). Differences alone are information (exit 0).
 */
import type { CompareReport, CompareSide } from '../../shared/compare';
import { type Engine, type NamedTarget, StepstoneError, isStepstoneError, renderSchemaDiff, summarizeSchemaDiff, toErrorInfo } from '../../engine';
import { cliEngine } from '../cli-engine';
import { bold, dim, green, red, yellow } from '../format';
import { printJson, printLine } from '../output';
import type { ParsedCommand } from '../parse-args';
import { resolveCliTarget } from '../resolve-cli-target';

/** The two sides, in the order given: two --env, two --db, or one of each (the --env first). */
async function sidesOf(engine: Engine, parsed: ParsedCommand): Promise<[NamedTarget, NamedTarget]> {
  const envs = parsed.repeated?.env ?? [];
  const dbs = parsed.repeated?.db ?? [];
  const { options } = parsed;
  // A side whose connection cannot even be resolved (an unset variable, a missing environment) is shown as unreachable.
  const side = async (label: string, resolve: () => Promise<NamedTarget & { target: unknown }>): Promise<NamedTarget> => {
    try {
      return await resolve();
    } catch (error) {
      if (isStepstoneError(error) && error.code === 'INVALID_INPUT') throw error;
      return { label, unavailable: toErrorInfo(error) };
    }
  };
  const byEnv = (env: string) => side(env, async () => ({ label: env, target: await resolveCliTarget(engine, { ...options, db: undefined, env }) }));
  const redacted = (url: string) => engine.redactUrl(url);
  const byUrl = (url: string) => side(redacted(url), async () => ({ label: redacted(url), target: await resolveCliTarget(engine, { ...options, knexfile: undefined, env: undefined, db: url }) }));
  if (envs.length + dbs.length === 0) return [await byEnv('staging'), await byEnv('production')];
  if (envs.length === 2 && dbs.length === 0) return [await byEnv(envs[0]), await byEnv(envs[1])];
  if (dbs.length === 2 && envs.length === 0) return [await byUrl(dbs[0]), await byUrl(dbs[1])];
  if (envs.length === 1 && dbs.length === 1) return [await byEnv(envs[0]), await byUrl(dbs[0])];
  throw new StepstoneError('INVALID_INPUT', `compare needs two databases, not ${envs.length + dbs.length}.`, {
    hint: 'Name them as `--env staging --env production` (knexfile environments) or `--db <url> --db <url>`.',
  });
}

function sideHeader(side: CompareSide): string {
  if (!side.reachable) return `${bold(side.label)}: ${red(`unreachable — ${side.error?.message ?? 'could not connect'}`)}${side.error?.hint ? `\n  ${dim(side.error.hint)}` : ''}`;
  const last = side.lastRun ? `last ${side.lastRun.operation} ${side.lastRun.startedAt} (${side.lastRun.outcome})` : 'no Stepstone run recorded';
  return `${bold(side.label)}: ${side.database}, ${side.applied.length} applied, head ${side.head ?? '∅'}; ${dim(last)}`;
}

function formatReport(report: CompareReport): string {
  const { left, right } = report;
  const lines = [sideHeader(left), sideHeader(right), ''];
  const names = [...new Set([...left.applied.map((m) => m.name), ...right.applied.map((m) => m.name)])].sort();
  const width = Math.max(10, ...names.map((n) => n.length));
  const cell = (side: CompareSide, name: string) => (!side.reachable ? '?' : side.applied.some((m) => m.name === name) ? '✓' : '—');
  lines.push(dim(`${'migration'.padEnd(width)}  ${left.label}  ${right.label}`));
  for (const name of names) {
    const differs = report.checksumDifferences.some((d) => d.name === name);
    const missing = report.onlyLeft.includes(name) || report.onlyRight.includes(name);
    const row = `${name.padEnd(width)}  ${cell(left, name).padEnd(left.label.length)}  ${cell(right, name)}${differs ? '  different file (checksum)' : ''}`;
    lines.push(differs ? red(row) : missing ? yellow(row) : row);
  }
  if (report.schemaDiff) {
    lines.push('', report.schemaDiff.changes.length ? `${bold('Schema')} from ${left.label} to ${right.label}: ${summarizeSchemaDiff(report.schemaDiff)}` : green('Schemas are the same.'));
    if (report.schemaDiff.changes.length) lines.push(renderSchemaDiff(report.schemaDiff, { lineDiffs: true }));
  } else lines.push('', dim('Schema not compared: one side could not be read.'));
  if (report.same) lines.push('', green(`${left.label} and ${right.label} have the same migrations and schema.`));
  return lines.join('\n');
}

/** Exit 1 when a side could not be read. */
export async function compareCommand(parsed: ParsedCommand): Promise<number> {
  const engine = cliEngine();
  const [left, right] = await sidesOf(engine, parsed);
  const report = await engine.compareEnvironments(left, right);
  if (parsed.options.json) printJson(report);
  else printLine(formatReport(report));
  const unreachable = [report.left, report.right].filter((s) => !s.reachable);
  for (const side of unreachable) process.stderr.write(`stepstone: ${side.label} could not be read: ${side.error?.message}${side.error?.hint ? ` ${side.error.hint}` : ''}\n`);
  return unreachable.length ? 1 : 0;
}
