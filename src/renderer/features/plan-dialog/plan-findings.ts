/**
 * What the plan dialog must tell before anything runs, from every source (the dry run, drift, the
 * plan's own warnings; lint adds its findings here too), and the one rule that decides whether the
 * primary button is enabled: each overridable error needs its own acknowledgement, a
 * non-overridable error blocks, and all warnings together need one tick.
 */
import type { DriftReport, DryRunResult, Plan } from '../../../shared/contract';
import type { Loadable, PlanDialogState } from '../../store/types';
import { plural } from '../../format/format';

/** One finding shown in the plan dialog. */
export interface PlanFinding {
  /** Stable within one plan: acknowledgements are kept by key (e.g. `dry-run:failed:<migration>`). */
  key: string;
  /** `error`: blocks until acknowledged on its own (or for good when not overridable); `warning`: one tick covers every warning; `info`: shown, nothing to tick. */
  severity: 'error' | 'warning' | 'info';
  source: 'dry-run' | 'drift' | 'lint' | 'plan';
  title: string;
  message?: string;
  migration?: string | null;
  /** The statement it is about: 1-based index within its migration, and its SQL. */
  statement?: { index: number; text: string } | null;
  fix?: string | null;
  /** Errors only: false means nothing gets past it in this dialog (e.g. a failing dry run on production). */
  overridable: boolean;
  /** Label of an overridable error's acknowledgement; "Continue anyway" by default. */
  acknowledgeLabel?: string;
  /** Still being worked out (the dry run is running): shown as progress rather than as a failure. */
  inProgress?: boolean;
}

/** What a source may look at. */
export interface PlanFindingContext {
  plan: Plan;
  dryRun: Loadable<DryRunResult>;
  drift: DriftReport | null;
  production: boolean;
  dialog: PlanDialogState;
}

export type PlanFindingSource = (ctx: PlanFindingContext) => PlanFinding[];

/** The dry run: a migration that fails is an error (never overridable on production); a busy or missing check is a warning. */
export function dryRunFindings({ dryRun, production }: PlanFindingContext): PlanFinding[] {
  if (dryRun.loading || (!dryRun.data && !dryRun.error)) {
    return [
      {
        key: 'dry-run:pending',
        severity: 'error',
        source: 'dry-run',
        title: 'Checking the plan with a dry run…',
        message: production
          ? 'On production the plan runs only once the dry run (on a scratch copy) has passed.'
          : 'Each migration runs and is rolled back, so a failure shows here before anything is applied.',
        overridable: !production,
        acknowledgeLabel: 'Run without waiting for the dry run',
        inProgress: true,
      },
    ];
  }
  if (dryRun.error) {
    return [
      {
        key: 'dry-run:unavailable',
        severity: 'warning',
        source: 'dry-run',
        title: 'The plan could not be dry-run, so it is unchecked',
        message: `${dryRun.error.message}${dryRun.error.hint ? ` ${dryRun.error.hint}` : ''}`,
        overridable: true,
      },
    ];
  }
  const findings: PlanFinding[] = [];
  for (const m of dryRun.data!.migrations) {
    if (m.error?.code === 'DRY_RUN_BUSY') {
      findings.push({ key: `dry-run:busy:${m.name}`, severity: 'warning', source: 'dry-run', title: `Not checked: the database was busy during ${m.name}`, message: m.error.message, migration: m.name, overridable: true });
    } else if (m.error) {
      const failing = m.statements.at(-1);
      findings.push({
        key: `dry-run:failed:${m.name}`,
        severity: 'error',
        source: 'dry-run',
        title: `${m.name} fails in the dry run`,
        message: stripMigrationPrefix(m.error.message, m.name),
        migration: m.name,
        statement: failing ? { index: m.statements.length, text: failing.sql } : null,
        fix: production ? 'Fix the migration and plan again: a failing migration never runs on production.' : m.error.hint ?? null,
        overridable: !production,
        acknowledgeLabel: 'Continue anyway: run it although the dry run failed',
      });
    }
  }
  return findings;
}

/** Drift since the last operation: the plan runs on a schema nobody reviewed. */
export function driftFindings({ drift }: PlanFindingContext): PlanFinding[] {
  if (!drift?.drifted) return [];
  return [
    {
      key: 'drift',
      severity: 'warning',
      source: 'drift',
      title: `Schema drift: ${plural(drift.diff.changes.length, 'change')} outside migrations since the last operation`,
      message: drift.diff.changes.slice(0, 5).map((c) => `${c.change} ${c.kind} ${c.name}`).join(', ') + (drift.diff.changes.length > 5 ? ', …' : ''),
      overridable: true,
    },
  ];
}

/**
 * The plan's own warnings: out of order and edited-since-applied need the tick; "not transactional"
 * is information (every step shows its badge, and the run view says what Cancel can do).
 */
export function planWarningFindings({ plan }: PlanFindingContext): PlanFinding[] {
  return plan.warnings.map((w, i) => ({
    key: `plan:${i}:${w}`,
    severity: /^Not transactional/i.test(w) ? ('info' as const) : ('warning' as const),
    source: 'plan' as const,
    title: w,
    overridable: true,
  }));
}

const DRY_RUN_RULES = new Set(['dry-run-failed', 'not-previewed']);

/**
 * Lint: on production each error must be acknowledged on its own; elsewhere errors and warnings
 * share the one tick. Suppressed findings and infos are shown, with nothing to tick.
 */
export function lintFindings({ dialog, production }: PlanFindingContext): PlanFinding[] {
  const report = dialog.lint?.data;
  if (!report) return [];
  // A failing or unpreviewed migration is the dry run's own finding above: not repeated here.
  return report.findings.flatMap((f, i) => (DRY_RUN_RULES.has(f.rule) ? [] : [{ f, i }])).map(({ f, i }) => {
    const severity = f.suppressed || f.severity === 'info' ? 'info' : f.severity === 'error' && production ? 'error' : 'warning';
    const facts = [f.lock, f.rewrite ? 'rewrites the table' : null, f.rows !== null ? `~${f.rows.toLocaleString('en-US')} rows` : null].filter(Boolean).join(' · ');
    return {
      key: `lint:${f.rule}:${f.migration}:${f.statement?.index ?? 0}:${i}`,
      severity,
      source: 'lint' as const,
      title: `${f.suppressed ? 'Suppressed ' : ''}${f.severity === 'error' ? 'Error' : f.severity === 'warning' ? 'Warning' : 'Note'} · ${f.rule}${f.table ? ` on ${f.table}` : ''}${facts ? ` (${facts})` : ''}`,
      message: f.suppressed ? `${f.message} Suppressed: ${f.reason}` : f.message,
      migration: f.migration,
      statement: f.statement,
      fix: f.suppressed ? null : f.fix,
      overridable: true,
      acknowledgeLabel: `I accept this risk: ${f.rule}${f.table ? ` on ${f.table}` : ''}`,
    };
  });
}

/** Every source, in display order. */
export const planFindingSources: PlanFindingSource[] = [dryRunFindings, lintFindings, driftFindings, planWarningFindings];

/** All findings of this plan. */
export function collectPlanFindings(ctx: PlanFindingContext, sources: PlanFindingSource[] = planFindingSources): PlanFinding[] {
  return sources.flatMap((source) => source(ctx));
}

/** What the user acknowledged in this dialog opening. */
export interface Acknowledgements {
  errors: ReadonlySet<string>;
  /** The warning keys the tick was given for: a new warning needs a new tick. */
  warningsTickedFor: string | null;
}

export const noAcknowledgements: Acknowledgements = { errors: new Set(), warningsTickedFor: null };

/** The identity of a set of warnings, for the one tick. */
export function warningsKey(findings: PlanFinding[]): string {
  return findings.filter((f) => f.severity === 'warning').map((f) => f.key).join('\n');
}

/** May the plan run? `reason` says what is still in the way. */
export function findingsGate(findings: PlanFinding[], acks: Acknowledgements): { ready: boolean; reason: string | null } {
  const errors = findings.filter((f) => f.severity === 'error');
  const hard = errors.find((f) => !f.overridable);
  if (hard) return { ready: false, reason: hard.inProgress ? hard.title : `Blocked: ${hard.title}` };
  const open = errors.filter((f) => !acks.errors.has(f.key));
  if (open.length > 0) return { ready: false, reason: open[0].inProgress ? open[0].title : `Acknowledge ${plural(open.length, 'error')} first` };
  const warnings = warningsKey(findings);
  if (warnings && acks.warningsTickedFor !== warnings) return { ready: false, reason: 'Tick the warnings first' };
  return { ready: true, reason: null };
}

/** The engine's message starts "<migration> would fail: "; the finding's title names the migration already. */
function stripMigrationPrefix(message: string, name: string): string {
  for (const prefix of [`${name} would fail: `, `${name} failed: `]) if (message.startsWith(prefix)) return message.slice(prefix.length);
  return message;
}

/** Findings saying the same thing (one rule on one table, same lock and rows) at several statements. */
export interface FindingGroup {
  key: string;
  /** The shared title, without the severity word the icon already shows. */
  title: string;
  findings: PlanFinding[];
}

/** Group findings by title, in order of first appearance. */
export function groupFindings(findings: PlanFinding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    const group = groups.get(f.title);
    if (group) group.findings.push(f);
    else groups.set(f.title, { key: f.key, title: f.title.replace(/^(Suppressed )?(Error|Warning|Note) · /, '$1'), findings: [f] });
  }
  return [...groups.values()];
}
