/**
 * What a captured statement does, read with PostgreSQL's own parser (libpg-query, compiled to
 * WASM: no native addon). One statement text can hold several statements and an ALTER TABLE
 * several commands: each becomes one `StatementAction` the rules look at.
 */
import type { RelationName } from '../../shared/lint';

/** A table named in SQL: the schema only when the SQL gave one. */
export interface TableRef {
  schema: string | null;
  name: string;
}

export type StatementAction =
  | { kind: 'create-index'; table: TableRef; concurrently: boolean; unique: boolean }
  | { kind: 'add-constraint'; table: TableRef; constraint: 'foreign' | 'check' | 'unique' | 'primary' | 'exclusion' | 'other'; notValid: boolean; usingIndex: boolean; name: string | null }
  | { kind: 'validate-constraint'; table: TableRef }
  | { kind: 'set-not-null'; table: TableRef; column: string }
  | { kind: 'alter-column-type'; table: TableRef; column: string }
  | { kind: 'add-column'; table: TableRef; column: string; volatileDefault: boolean; rewritesByDefinition: boolean }
  | { kind: 'drop-column'; table: TableRef; column: string }
  | { kind: 'drop-table'; table: TableRef }
  | { kind: 'rename-column'; table: TableRef; from: string; to: string }
  | { kind: 'rename-table'; table: TableRef; to: string }
  | { kind: 'update' | 'delete'; table: TableRef; whole: boolean }
  | { kind: 'create-table'; table: TableRef }
  | { kind: 'set-lock-timeout'; off: boolean }
  | { kind: 'other-alter-table'; table: TableRef }
  | { kind: 'other' };

export type StatementReading = { ok: true; actions: StatementAction[] } | { ok: false; error: string };

// Loose view of libpg-query's JSON tree: every node is `{ TypeName: { …fields } }`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface PgQuery {
  loadModule(): Promise<void>;
  parseSync(sql: string): { stmts?: { stmt: Json }[] };
}

let parser: Promise<PgQuery> | null = null;

/** Loads the WASM parser once (about 40 ms), on first use. */
export function loadParser(): Promise<PgQuery> {
  parser ??= import('libpg-query').then(async (mod) => {
    const pq = ((mod as { default?: PgQuery }).default ?? mod) as PgQuery;
    await pq.loadModule();
    return pq;
  });
  return parser;
}

/** Functions PostgreSQL marks VOLATILE that people use as column defaults: such a default rewrites the table. */
const VOLATILE_FUNCTIONS = new Set([
  'gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'uuidv4', 'uuidv7',
  'random', 'random_normal', 'clock_timestamp', 'timeofday', 'nextval', 'setseed', 'txid_current',
]);

function tableOf(rangeVar: Json): TableRef {
  return { schema: rangeVar?.schemaname ?? null, name: rangeVar?.relname ?? '?' };
}

/** Every function name called anywhere inside `node`. */
function calledFunctions(node: Json, into: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => calledFunctions(n, into));
  else if (node && typeof node === 'object') {
    if (node.FuncCall) {
      const names: Json[] = node.FuncCall.funcname ?? [];
      const last = names[names.length - 1];
      if (last?.String?.sval) into.push(String(last.String.sval).toLowerCase());
    }
    for (const value of Object.values(node)) calledFunctions(value, into);
  }
  return into;
}

function constraintKind(contype: string | undefined): Extract<StatementAction, { kind: 'add-constraint' }>['constraint'] {
  switch (contype) {
    case 'CONSTR_FOREIGN':
      return 'foreign';
    case 'CONSTR_CHECK':
      return 'check';
    case 'CONSTR_UNIQUE':
      return 'unique';
    case 'CONSTR_PRIMARY':
      return 'primary';
    case 'CONSTR_EXCLUSION':
      return 'exclusion';
    default:
      return 'other';
  }
}

function addColumnAction(table: TableRef, def: Json): StatementAction {
  const column = def?.ColumnDef ?? {};
  const constraints: Json[] = (column.constraints ?? []).map((c: Json) => c.Constraint ?? {});
  const defaults = constraints.filter((c) => c.contype === 'CONSTR_DEFAULT');
  const volatileDefault = defaults.some((c) => calledFunctions(c.raw_expr).some((f) => VOLATILE_FUNCTIONS.has(f)));
  // Identity and stored generated columns are computed for every existing row; serial types call nextval().
  const typeName: string = (column.typeName?.names ?? []).map((n: Json) => n.String?.sval).pop() ?? '';
  const rewritesByDefinition =
    constraints.some((c) => c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED') || /^(small|big)?serial[248]?$/i.test(typeName);
  return { kind: 'add-column', table, column: column.colname ?? '?', volatileDefault, rewritesByDefinition };
}

function alterTableActions(stmt: Json): StatementAction[] {
  if (stmt.objtype && stmt.objtype !== 'OBJECT_TABLE') return [{ kind: 'other' }];
  const table = tableOf(stmt.relation);
  return (stmt.cmds ?? []).map((c: Json): StatementAction => {
    const cmd = c.AlterTableCmd ?? {};
    switch (cmd.subtype) {
      case 'AT_AddColumn':
        return addColumnAction(table, cmd.def);
      case 'AT_AddConstraint': {
        const con = cmd.def?.Constraint ?? {};
        return {
          kind: 'add-constraint',
          table,
          constraint: constraintKind(con.contype),
          notValid: con.skip_validation === true,
          usingIndex: typeof con.indexname === 'string',
          name: con.conname ?? null,
        };
      }
      case 'AT_ValidateConstraint':
        return { kind: 'validate-constraint', table };
      case 'AT_SetNotNull':
        return { kind: 'set-not-null', table, column: cmd.name ?? '?' };
      case 'AT_AlterColumnType':
        return { kind: 'alter-column-type', table, column: cmd.name ?? '?' };
      case 'AT_DropColumn':
        return { kind: 'drop-column', table, column: cmd.name ?? '?' };
      default:
        return { kind: 'other-alter-table', table };
    }
  });
}

function actionsOf(node: Json): StatementAction[] {
  const [type] = Object.keys(node ?? {});
  const stmt = node?.[type] ?? {};
  switch (type) {
    case 'IndexStmt':
      return [{ kind: 'create-index', table: tableOf(stmt.relation), concurrently: stmt.concurrent === true, unique: stmt.unique === true }];
    case 'AlterTableStmt':
      return alterTableActions(stmt);
    case 'DropStmt':
      if (stmt.removeType !== 'OBJECT_TABLE') return [{ kind: 'other' }];
      return (stmt.objects ?? []).map((o: Json) => {
        const parts: string[] = (o.List?.items ?? []).map((i: Json) => i.String?.sval);
        const name = parts[parts.length - 1] ?? '?';
        return { kind: 'drop-table', table: { schema: parts.length > 1 ? parts[parts.length - 2] : null, name } };
      });
    case 'RenameStmt':
      if (stmt.renameType === 'OBJECT_COLUMN' && stmt.relationType === 'OBJECT_TABLE') {
        return [{ kind: 'rename-column', table: tableOf(stmt.relation), from: stmt.subname ?? '?', to: stmt.newname ?? '?' }];
      }
      if (stmt.renameType === 'OBJECT_TABLE') return [{ kind: 'rename-table', table: tableOf(stmt.relation), to: stmt.newname ?? '?' }];
      return [{ kind: 'other' }];
    case 'UpdateStmt':
      return [{ kind: 'update', table: tableOf(stmt.relation), whole: !stmt.whereClause }];
    case 'DeleteStmt':
      return [{ kind: 'delete', table: tableOf(stmt.relation), whole: !stmt.whereClause }];
    case 'CreateStmt':
      return [{ kind: 'create-table', table: tableOf(stmt.relation) }];
    case 'CreateTableAsStmt':
      return [{ kind: 'create-table', table: tableOf(stmt.into?.IntoClause?.rel ?? stmt.into?.rel) }];
    case 'VariableSetStmt':
      if (stmt.name !== 'lock_timeout') return [{ kind: 'other' }];
      return [{ kind: 'set-lock-timeout', off: stmt.kind !== 'VAR_SET_VALUE' || isZero(stmt.args) }];
    default:
      return [{ kind: 'other' }];
  }
}

function isZero(args: Json[] | undefined): boolean {
  const value = args?.[0]?.A_Const;
  if (!value) return false;
  if (value.ival !== undefined) return (value.ival.ival ?? 0) === 0;
  if (value.sval !== undefined) return /^\s*0\s*(ms|s|min)?\s*$/i.test(String(value.sval.sval ?? ''));
  return false;
}

/** The actions in `sql`, or the parser's error in words. */
export async function readStatement(sql: string): Promise<StatementReading> {
  const pq = await loadParser();
  try {
    const tree = pq.parseSync(sql);
    return { ok: true, actions: (tree.stmts ?? []).flatMap((s) => actionsOf(s.stmt)) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Does a table reference (schema optional) name this relation? */
export function refersTo(ref: TableRef, relation: RelationName): boolean {
  return ref.name === relation.name && (ref.schema === null || ref.schema === relation.schema);
}
