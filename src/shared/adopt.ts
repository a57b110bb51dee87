/**
 * Results of baseline, stamp, generate and check (issue 12), shared by the engine, the CLI's
 * `--json` and the app. Field names are a public contract (documented in the README).
 */
import { z } from 'zod';
import { SchemaDiff } from './schema';

/** One direction of a generated migration run on the shadow database. */
export const DirectionCheck = z.object({
  /**
   * `matches`: the schema is the one expected; `differs`: see `differences`; `failed`: it threw (see
   * `error`); `irreversible`: it refused by design (an enum value cannot be dropped); `not-run`.
   */
  status: z.enum(['matches', 'differs', 'failed', 'irreversible', 'not-run']),
  /** One line per difference, e.g. "+ column public.users.phone: character varying(32)". */
  differences: z.array(z.string()),
  error: z.string().nullable(),
});
export type DirectionCheck = z.infer<typeof DirectionCheck>;

/** The proof a generated file got before it was written. */
export const Verification = z.object({
  /** `up` gives the desired schema and `down` the current one (or refuses by design). */
  ok: z.boolean(),
  /** Where it ran, e.g. "temporary database stepstone_shadow_… on 127.0.0.1:5432 (dropped afterwards)". */
  shadow: z.string(),
  up: DirectionCheck,
  down: DirectionCheck,
  /** `up` again after `down` (baseline only); null otherwise. */
  upAgain: DirectionCheck.nullable(),
  notes: z.array(z.string()),
});
export type Verification = z.infer<typeof Verification>;

/** What a migration changes: "kind schema.name" per object. */
export const ChangeSummary = z.object({
  added: z.array(z.string()),
  altered: z.array(z.string()),
  dropped: z.array(z.string()),
  renamed: z.array(z.string()),
});
export type ChangeSummary = z.infer<typeof ChangeSummary>;

export const RenameCandidate = z.object({
  kind: z.enum(['table', 'column']),
  from: z.string(),
  to: z.string(),
  /** The `--rename` argument that turns the pair into a rename. */
  option: z.string(),
});
export type RenameCandidate = z.infer<typeof RenameCandidate>;

/** Where the desired schema of `generate` comes from. */
export const DesiredSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('url'), url: z.string().min(1) }),
  z.object({ kind: z.literal('file'), path: z.string().min(1) }),
  z.object({ kind: z.literal('drift') }),
]);
export type DesiredSource = z.infer<typeof DesiredSource>;

/** A generated migration (written or not). */
export const GenerateResult = z.object({
  /**
   * `written`: verified (or forced) and written; `no-changes`: nothing differs, no file; `not-written`:
   * verification found differences (see `verification`), nothing written; `preview`: computed and
   * verified, not written (the app shows it before writing).
   */
  status: z.enum(['written', 'no-changes', 'not-written', 'preview']),
  /** The file's absolute path (where it was or would be written); null with no changes. */
  file: z.string().nullable(),
  /** Its name as Knex records it. */
  name: z.string().nullable(),
  /** The file's text (null with no changes). */
  content: z.string().nullable(),
  /** Where the desired schema came from, in words. */
  source: z.string(),
  summary: ChangeSummary,
  /** The current (migrations) → desired schema difference. */
  diff: SchemaDiff,
  renameCandidates: z.array(RenameCandidate),
  warnings: z.array(z.string()),
  /** Objects `up` drops with their data. */
  dataLoss: z.array(z.string()),
  verification: Verification.nullable(),
  /** Written despite failed verification (--force). */
  forced: z.boolean(),
});
export type GenerateResult = z.infer<typeof GenerateResult>;

export const BaselineResult = z.object({
  /** `stamped`: written and recorded as applied; `not-written`: verification failed or objects are not reproducible; `preview`: not written. */
  status: z.enum(['stamped', 'not-written', 'preview']),
  file: z.string(),
  name: z.string(),
  content: z.string(),
  summary: ChangeSummary,
  /** Objects the introspection cannot reproduce: the file leaves them out. */
  unsupported: z.array(z.string()),
  warnings: z.array(z.string()),
  verification: Verification,
  forced: z.boolean(),
  /** The batch the stamp recorded (null unless stamped). */
  batch: z.number().int().nullable(),
  historyId: z.number().int().nullable(),
});
export type BaselineResult = z.infer<typeof BaselineResult>;

export const StampResult = z.object({
  /** `stamped`; `refused`: the migrations do not give the live schema (see `differences`); `nothing-to-stamp`: all already applied. */
  status: z.enum(['stamped', 'refused', 'nothing-to-stamp']),
  /** Migrations recorded as applied (or that would have been). */
  migrations: z.array(z.string()),
  /** Live schema vs the migrations run on the shadow, one line per difference. */
  differences: z.array(z.string()),
  shadow: z.string().nullable(),
  forced: z.boolean(),
  batch: z.number().int().nullable(),
  historyId: z.number().int().nullable(),
});
export type StampResult = z.infer<typeof StampResult>;

/** One reason `check` fails. */
export const CheckProblem = z.object({
  kind: z.enum(['edited', 'missing', 'out-of-order', 'drift', 'schema-difference', 'unsupported']),
  /** One line naming the cause. */
  message: z.string(),
  migration: z.string().optional(),
});
export type CheckProblem = z.infer<typeof CheckProblem>;

export const CheckResult = z.object({
  ok: z.boolean(),
  problems: z.array(CheckProblem),
  /** What was checked, e.g. ["ledger", "drift", "reference"]. */
  checked: z.array(z.string()),
});
export type CheckResult = z.infer<typeof CheckResult>;

/** Whether the app offers "Adopt it…": a database with tables and no applied migrations. */
export const AdoptionState = z.object({
  /** User tables (Knex's and Stepstone's left out). */
  tables: z.number().int(),
  /** Migrations in the ledger. */
  applied: z.number().int(),
  adoptable: z.boolean(),
});
export type AdoptionState = z.infer<typeof AdoptionState>;
