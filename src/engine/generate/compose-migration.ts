/**
 * From a current and a desired schema to a migration file: renames applied, both directions
 * planned, the change summarised (added / altered / dropped / renamed), data loss and irreversible
 * changes called out in the header, rendered in the project's style.
 */
import type { ChangeSummary } from '../../shared/adopt';
import type { SchemaChange, SchemaDiff, SchemaSnapshot } from '../../shared/schema';
import { diffSchemas } from '../schema';
import type { MigrationStep } from './migration-steps';
import { planSchemaMigration } from './plan-schema-migration';
import { type RenameCandidate, type Renames, applyRenames, invertRenames, renameCandidates } from './renames';
import { type MigrationFileStyle, renderMigrationFile } from './render-migration-file';


export interface ComposedMigration {
  /** The file's text without the verification lines of its header. */
  header: string[];
  up: MigrationStep[];
  down: MigrationStep[];
  /** The current schema after the renames: what `up` starts from once they ran. */
  renamedCurrent: SchemaSnapshot;
  diff: SchemaDiff;
  summary: ChangeSummary;
  dataLoss: string[];
  warnings: string[];
  renameCandidates: RenameCandidate[];
  /** The message `down` throws by design (an enum value added), or null. */
  irreversibleDown: string | null;
  /** The message `up` throws by design (an enum value removed), or null. */
  irreversibleUp: string | null;
  /** Too many relations for one transaction's locks: the file runs without a transaction. */
  nonTransactional: boolean;
}

/**
 * Relations (tables with their TOAST and indexes, sequences, views) one direction creates or drops
 * beyond which the file runs without a transaction: each one holds a lock until commit, and
 * PostgreSQL's shared lock table (max_locks_per_transaction × connections, 6,400 by default, shared
 * by every session) runs out ("out of shared memory").
 */
export const RELATIONS_PER_TRANSACTION = 1500;

function relationsTouched(changes: readonly SchemaChange[]): number {
  let count = 0;
  for (const c of changes) {
    if (c.change === 'changed') continue;
    if (c.kind === 'table') count += 3 + ((c.change === 'added' ? c.after : c.before)?.indexes.length ?? 0);
    else if (c.kind === 'index' || c.kind === 'sequence' || c.kind === 'view') count += 1;
  }
  return count;
}

export interface ComposeRequest {
  current: SchemaSnapshot;
  desired: SchemaSnapshot;
  renames: Renames;
  /** First header line, e.g. "add_phone: from the reference database postgres://…/dev". */
  title: string;
  /** Overrides RELATIONS_PER_TRANSACTION (tests). */
  relationsPerTransaction?: number;
}

export function composeMigration(request: ComposeRequest): ComposedMigration {
  // Each direction renames first, then changes what is left: down is up's planning in reverse.
  const renamedCurrent = applyRenames(request.current, request.renames);
  const diff = diffSchemas(renamedCurrent, request.desired);
  // Large: plain SQL sent in batches, without a transaction (see RELATIONS_PER_TRANSACTION).
  const limit = request.relationsPerTransaction ?? RELATIONS_PER_TRANSACTION;
  const nonTransactional = relationsTouched(diff.changes) > limit;
  const up = planSchemaMigration(renamedCurrent, request.desired, request.renames, { sqlOnly: nonTransactional });
  const inverse = invertRenames(request.renames);
  const back = planSchemaMigration(applyRenames(request.desired, inverse), request.current, inverse, { sqlOnly: nonTransactional });
  const downSteps: MigrationStep[] = back.steps;
  const summary = summarise(diff.changes, request.renames);
  const firstFail = (steps: MigrationStep[]) => {
    const step = steps.find((s) => s.code.kind === 'fail');
    return step && step.code.kind === 'fail' ? step.code.message : null;
  };
  const irreversibleDown = firstFail(downSteps);
  const irreversibleUp = firstFail(up.steps);
  const warnings = [...up.warnings];
  if (irreversibleDown) warnings.push(`down cannot be run: ${irreversibleDown}`);
  if (irreversibleUp) warnings.push(`up cannot be run: ${irreversibleUp}`);
  const header = [
    request.title,
    '',
    `Changes: ${summary.added.length} added, ${summary.altered.length} altered, ${summary.dropped.length} dropped, ${summary.renamed.length} renamed.`,
    ...listed('Added', summary.added),
    ...listed('Altered', summary.altered),
    ...listed('Dropped', summary.dropped),
    ...listed('Renamed', summary.renamed),
    ...(up.dataLoss.length ? ['', 'DATA LOSS: up drops these and their data:', ...up.dataLoss.map((d) => `  - ${d}`)] : []),
    ...(irreversibleDown ? ['', `down refuses to run: ${irreversibleDown}`] : []),
    ...(irreversibleUp ? ['', `up refuses to run: ${irreversibleUp}`] : []),
    ...(up.warnings.length ? ['', 'Warnings:', ...up.warnings.map((w) => `  - ${w}`)] : []),
    ...(nonTransactional
      ? [
          '',
          `Runs without a transaction (config.transaction = false): it creates or drops more than ${limit} relations,`,
          "more locks than one transaction can hold (PostgreSQL's max_locks_per_transaction). Its SQL is sent in batches of statements,",
          'each batch atomic; if one fails, the batches before it stay.',
        ]
      : []),
  ];
  return {
    header,
    up: up.steps,
    down: downSteps,
    renamedCurrent,
    diff,
    summary,
    dataLoss: up.dataLoss,
    warnings,
    renameCandidates: renameCandidates(renamedCurrent, request.desired),
    irreversibleDown,
    irreversibleUp,
    nonTransactional,
  };
}

function listed(label: string, items: readonly string[]): string[] {
  if (items.length === 0) return [];
  const shown = items.slice(0, 50).map((i) => `  - ${i}`);
  return [`${label}:`, ...shown, ...(items.length > 50 ? [`  - … and ${items.length - 50} more`] : [])];
}

/** Added / altered / dropped objects: a new table counts once (not its columns), a change inside a table once per object. */
function summarise(changes: readonly SchemaChange[], renames: Renames): ChangeSummary {
  const addedTables = new Set(changes.filter((c) => c.kind === 'table' && c.change === 'added').map((c) => c.name));
  const droppedTables = new Set(changes.filter((c) => c.kind === 'table' && c.change === 'removed').map((c) => c.name));
  const inside = (name: string, tables: Set<string>) => [...tables].some((t) => name.startsWith(`${t}.`));
  const summary: ChangeSummary = { added: [], altered: [], dropped: [], renamed: [] };
  for (const c of changes) {
    const label = `${c.kind} ${c.name}`;
    if (c.change === 'added' && !inside(c.name, addedTables)) summary.added.push(label);
    else if (c.change === 'removed' && !inside(c.name, droppedTables)) summary.dropped.push(label);
    else if (c.change === 'changed') summary.altered.push(label);
  }
  summary.renamed.push(
    ...renames.tables.map((r) => `table ${r.schema}.${r.from} → ${r.schema}.${r.to}`),
    ...renames.columns.map((r) => `column ${r.schema}.${r.table}.${r.from} → ${r.schema}.${r.table}.${r.to}`),
  );
  return summary;
}

/** The file's text with the verification lines added to the header. */
export function renderComposed(composed: ComposedMigration, verificationLines: readonly string[], style: MigrationFileStyle): string {
  return renderMigrationFile(
    { header: [...composed.header, ...(verificationLines.length ? ['', ...verificationLines] : [])], up: composed.up, down: composed.down, nonTransactional: composed.nonTransactional },
    style,
  );
}
