/**
 * Schema snapshot, diff and dry-run values (the pending-diff issue). Owned by src/engine/schema;
 * kept here so the renderer and CLI type against the same shapes.
 *
 * Fields marked "optional: absent in older snapshots" were added later: introspection always fills
 * them; snapshots recorded before (drift references, backup files) lack them, and a diff skips a
 * field or list one side does not have rather than report it as changed.
 */
import { z } from 'zod';
import { ErrorInfo } from './error-info';
import { Direction } from './migration';
import { StatementTrace } from './lint';

/** A sequence's options (standalone, or an identity column's own). */
export const SequenceOptions = z.object({
  dataType: z.string(),
  start: z.string(),
  increment: z.string(),
  min: z.string(),
  max: z.string(),
  cycle: z.boolean(),
  cache: z.string(),
});
export type SequenceOptions = z.infer<typeof SequenceOptions>;

export const Column = z.object({
  name: z.string(),
  type: z.string(),
  nullable: z.boolean(),
  default: z.string().nullable(),
  identity: z.enum(['always', 'by default']).nullable(),
  /** The identity column's sequence options (null unless identity). Optional: absent in older snapshots. */
  identitySequence: SequenceOptions.omit({ dataType: true }).nullable().optional(),
  /** Generation expression of a generated column. */
  generated: z.string().nullable(),
  /** `stored` (PostgreSQL 12+) or `virtual` (PostgreSQL 18+); null unless generated. */
  generatedKind: z.enum(['stored', 'virtual']).nullable(),
  /** Qualified collation when it differs from the type's default. */
  collation: z.string().nullable(),
  comment: z.string().nullable(),
});
export type Column = z.infer<typeof Column>;

export const Constraint = z.object({
  name: z.string(),
  kind: z.enum(['primary', 'unique', 'check', 'exclusion', 'foreign']),
  columns: z.array(z.string()),
  /** pg_get_constraintdef(): the canonical definition, used for diffing and DDL. */
  definition: z.string(),
  references: z
    .object({ schema: z.string(), table: z.string(), columns: z.array(z.string()), onUpdate: z.string(), onDelete: z.string() })
    .nullable(),
  /** Optional: absent in older snapshots. */
  comment: z.string().nullable().optional(),
});
export type Constraint = z.infer<typeof Constraint>;

export const Index = z.object({
  name: z.string(),
  method: z.string(),
  unique: z.boolean(),
  primary: z.boolean(),
  /** Columns or expressions, in order. */
  keys: z.array(z.string()),
  predicate: z.string().nullable(),
  /** pg_get_indexdef(). */
  definition: z.string(),
  /** Backs a constraint (its DDL comes from the constraint). */
  constraint: z.string().nullable(),
  /** Optional: absent in older snapshots. */
  comment: z.string().nullable().optional(),
});
export type Index = z.infer<typeof Index>;

export const Table = z.object({
  schema: z.string(),
  name: z.string(),
  columns: z.array(Column),
  constraints: z.array(Constraint),
  indexes: z.array(Index),
  comment: z.string().nullable(),
  /** UNLOGGED table. Optional: absent in older snapshots. */
  unlogged: z.boolean().optional(),
  /** Storage parameters (`with (fillfactor=70)`), as pg_class.reloptions lists them. Optional: absent in older snapshots. */
  options: z.array(z.string()).optional(),
});
export type Table = z.infer<typeof Table>;

export const EnumType = z.object({
  schema: z.string(),
  name: z.string(),
  values: z.array(z.string()),
  /** Optional: absent in older snapshots. */
  comment: z.string().nullable().optional(),
});
export type EnumType = z.infer<typeof EnumType>;

/** A domain: a base type with a default, NOT NULL and named check constraints. */
export const DomainType = z.object({
  schema: z.string(),
  name: z.string(),
  /** The base type, as format_type() prints it. */
  type: z.string(),
  collation: z.string().nullable(),
  default: z.string().nullable(),
  notNull: z.boolean(),
  constraints: z.array(z.object({ name: z.string(), definition: z.string() })),
  comment: z.string().nullable(),
});
export type DomainType = z.infer<typeof DomainType>;

/** A standalone composite type (`create type … as (…)`). */
export const CompositeType = z.object({
  schema: z.string(),
  name: z.string(),
  attributes: z.array(z.object({ name: z.string(), type: z.string(), collation: z.string().nullable() })),
  comment: z.string().nullable(),
});
export type CompositeType = z.infer<typeof CompositeType>;

/** A range type with its subtype (other range options are listed as unsupported when set). */
export const RangeType = z.object({
  schema: z.string(),
  name: z.string(),
  subtype: z.string(),
  comment: z.string().nullable(),
});
export type RangeType = z.infer<typeof RangeType>;

export const Sequence = z.object({
  schema: z.string(),
  name: z.string(),
  dataType: z.string(),
  start: z.string(),
  increment: z.string(),
  min: z.string(),
  max: z.string(),
  cycle: z.boolean(),
  cache: z.string(),
  /** The column owning it (serial or OWNED BY; always in the sequence's schema). Identity sequences are not listed. */
  ownedBy: z.object({ table: z.string(), column: z.string() }).nullable(),
  /** Optional: absent in older snapshots. */
  comment: z.string().nullable().optional(),
});
export type Sequence = z.infer<typeof Sequence>;

export const View = z.object({
  schema: z.string(),
  name: z.string(),
  materialized: z.boolean(),
  /** pg_get_viewdef(), without the trailing semicolon. */
  definition: z.string(),
  /** Other views and materialized views it reads ("schema.name"), for creation order. */
  dependsOn: z.array(z.string()),
  /** Indexes of a materialized view (always empty for a plain view). */
  indexes: z.array(Index),
  comment: z.string().nullable(),
  /** View options (`security_barrier=true`, `check_option=local`…). Optional: absent in older snapshots. */
  options: z.array(z.string()).optional(),
});
export type View = z.infer<typeof View>;

export const FunctionDef = z.object({
  schema: z.string(),
  name: z.string(),
  /** Identity arguments, e.g. "a integer, b text". */
  arguments: z.string(),
  returns: z.string(),
  language: z.string(),
  kind: z.enum(['function', 'procedure', 'aggregate', 'window']),
  comment: z.string().nullable(),
  /** pg_get_functiondef() (null for aggregates). */
  definition: z.string().nullable(),
});
export type FunctionDef = z.infer<typeof FunctionDef>;

export const Trigger = z.object({
  schema: z.string(),
  table: z.string(),
  name: z.string(),
  definition: z.string(),
  /** Optional: absent in older snapshots. */
  comment: z.string().nullable().optional(),
});
export type Trigger = z.infer<typeof Trigger>;

export const Extension = z.object({ name: z.string(), schema: z.string(), version: z.string() });
export type Extension = z.infer<typeof Extension>;

export const SchemaSnapshot = z.object({
  schemas: z.array(z.string()),
  /** Installed extensions (their own objects are left out of every other list). plpgsql is not listed. */
  extensions: z.array(Extension),
  tables: z.array(Table),
  enums: z.array(EnumType),
  sequences: z.array(Sequence),
  views: z.array(View),
  functions: z.array(FunctionDef),
  triggers: z.array(Trigger),
  /** Comments on schemas, by schema name (schemas without one are absent). Optional: absent in older snapshots. */
  schemaComments: z.record(z.string(), z.string()).optional(),
  /** Optional: absent in older snapshots. */
  domains: z.array(DomainType).optional(),
  /** Optional: absent in older snapshots. */
  composites: z.array(CompositeType).optional(),
  /** Optional: absent in older snapshots. */
  ranges: z.array(RangeType).optional(),
  /** Objects seen but not captured (extensions' objects, policies, grants…), in plain words. */
  unsupported: z.array(z.string()),
});
export type SchemaSnapshot = z.infer<typeof SchemaSnapshot>;

export const ObjectKind = z.enum(['schema', 'extension', 'table', 'column', 'constraint', 'index', 'enum', 'domain', 'type', 'sequence', 'view', 'function', 'trigger']);
export type ObjectKind = z.infer<typeof ObjectKind>;

/** A schema as a diff compares it: its name, and its comment when both snapshots record comments. */
export const SchemaItem = z.object({ name: z.string(), comment: z.string().nullable().optional() });
export type SchemaItem = z.infer<typeof SchemaItem>;

/** A change to one object of `kind`, whose versions are `value`s. */
function changeOf<K extends ObjectKind, V extends z.ZodType>(kind: K, value: V) {
  return z.object({
    kind: z.literal(kind),
    /** Qualified name, e.g. "public.users.email". */
    name: z.string(),
    change: z.enum(['added', 'removed', 'changed']),
    /** The object before (absent when added) and after (absent when removed). */
    before: value.optional(),
    after: value.optional(),
    /** Which fields changed, for `changed`. */
    fields: z.array(z.string()).optional(),
  });
}

/** One object added, removed or changed, by kind: before/after are that kind's snapshot values. */
export const SchemaChange = z.discriminatedUnion('kind', [
  changeOf('schema', SchemaItem),
  changeOf('extension', Extension),
  changeOf('table', Table),
  changeOf('column', Column),
  changeOf('constraint', Constraint),
  changeOf('index', Index),
  changeOf('enum', EnumType),
  changeOf('domain', DomainType),
  changeOf('type', z.union([CompositeType, RangeType])),
  changeOf('sequence', Sequence),
  changeOf('view', View),
  changeOf('function', FunctionDef),
  changeOf('trigger', Trigger),
]);
export type SchemaChange = z.infer<typeof SchemaChange>;
/** The change of one kind, e.g. `ChangeOf<'table'>`. */
export type ChangeOf<K extends ObjectKind> = Extract<SchemaChange, { kind: K }>;
// Every ObjectKind has its variant (a new kind without one is a type error here).
const everyKindHasAChange: [ObjectKind] extends [SchemaChange['kind']] ? true : never = true;
void everyKindHasAChange;

export const SchemaDiff = z.object({ changes: z.array(SchemaChange) });
export type SchemaDiff = z.infer<typeof SchemaDiff>;

export const CapturedStatement = z.object({
  sql: z.string(),
  bindings: z.array(z.unknown()),
  /** Locks, rewrites and timing, when the dry run traced them (lint). */
  trace: StatementTrace.optional(),
});
export type CapturedStatement = z.infer<typeof CapturedStatement>;

export const DryRunMigration = z.object({
  name: z.string(),
  direction: Direction,
  transactional: z.boolean(),
  /** `ran`: executed and rolled back; `scratch`: previewed on a scratch database; `skipped`: no preview (see reason). */
  preview: z.enum(['ran', 'scratch', 'skipped']),
  reason: z.string().nullable(),
  statements: z.array(CapturedStatement),
  diff: SchemaDiff.nullable(),
  error: ErrorInfo.nullable(),
});
export type DryRunMigration = z.infer<typeof DryRunMigration>;

const DryRunFields = z.object({
  /** `live`: inside the live database, rolled back; `scratch`: on a scratch database built as described in `whereDetail`. */
  where: z.enum(['live', 'scratch']),
  whereDetail: z.string(),
  migrations: z.array(DryRunMigration),
  combinedDiff: SchemaDiff,
  /** The schema the plan leaves (after the last step that ran); null when the preview stopped before any. */
  schemaAfter: SchemaSnapshot.nullable().optional(),
});

/** A dry run's outcome, by `ok`: a failed one carries its first problem (a failing migration, or DRY_RUN_BUSY when a lock or statement timeout cut the preview short). */
export const DryRunResult = z.discriminatedUnion('ok', [
  DryRunFields.extend({ ok: z.literal(true), error: z.null().optional() }),
  DryRunFields.extend({ ok: z.literal(false), error: ErrorInfo }),
]);
export type DryRunResult = z.infer<typeof DryRunResult>;

export const DriftReport = z.object({
  /** When the reference snapshot was recorded (after the last Stepstone operation); null if never. */
  recordedAt: z.string().nullable(),
  head: z.string().nullable(),
  /** The head now; when it differs from `head`, migrations ran since (e.g. by the knex CLI) and their changes show as drift too. */
  currentHead: z.string().nullable().optional(),
  drifted: z.boolean(),
  diff: SchemaDiff,
});
export type DriftReport = z.infer<typeof DriftReport>;
