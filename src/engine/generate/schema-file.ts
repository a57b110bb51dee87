/**
 * A SQL schema file as the desired schema: checked with PostgreSQL's own parser first (a syntax
 * error names its line; cluster-wide statements and objects in PostgreSQL's own schemas are
 * refused, since they would escape the shadow database), then run on the shadow statement by
 * statement (an error names the line of the statement that failed). psql meta-commands (`\restrict`
 * in pg_dump's output) are skipped.
 */
import { readFile } from 'node:fs/promises';
import type { Knex } from 'knex';
import { StepstoneError, messageOf } from '../errors';
import { loadParser } from '../lint/read-statement';

/** Statements that act on the whole server, not on one database's schema. */
const CLUSTER_STATEMENTS: Record<string, string> = {
  CreateRoleStmt: 'creates a role',
  AlterRoleStmt: 'alters a role',
  AlterRoleSetStmt: 'alters a role',
  DropRoleStmt: 'drops a role',
  GrantRoleStmt: 'grants a role',
  CreatedbStmt: 'creates a database',
  DropdbStmt: 'drops a database',
  AlterDatabaseStmt: 'alters a database',
  AlterDatabaseSetStmt: 'alters a database',
  AlterSystemStmt: 'changes the server configuration',
  CreateTableSpaceStmt: 'creates a tablespace',
  DropTableSpaceStmt: 'drops a tablespace',
  CreateSubscriptionStmt: 'creates a subscription',
  LoadStmt: 'loads a library',
  CopyStmt: 'copies data (COPY)',
};

const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema', 'pg_toast']);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface SchemaFileStatement {
  sql: string;
  line: number;
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, Math.max(0, offset)).split('\n').length;
}

/** The schema a DDL statement creates or changes an object in, when it names one. */
function targetSchema(kind: string, node: Json): string | null {
  const rangeVar = (rv: Json) => (rv?.schemaname as string | undefined) ?? null;
  const names = (list: Json[] | undefined) => (list && list.length > 1 ? ((list[0]?.String?.sval as string | undefined) ?? null) : null);
  switch (kind) {
    case 'CreateStmt':
    case 'AlterTableStmt':
    case 'IndexStmt':
    case 'CreateTrigStmt':
    case 'RuleStmt':
      return rangeVar(node.relation);
    case 'ViewStmt':
      return rangeVar(node.view);
    case 'CreateTableAsStmt':
      return rangeVar(node.into?.rel);
    case 'CreateSeqStmt':
    case 'AlterSeqStmt':
      return rangeVar(node.sequence);
    case 'CompositeTypeStmt':
      return rangeVar(node.typevar);
    case 'CreatePolicyStmt':
      return rangeVar(node.table);
    case 'CreateEnumStmt':
    case 'CreateRangeStmt':
      return names(node.typeName);
    case 'CreateDomainStmt':
      return names(node.domainname);
    case 'CreateFunctionStmt':
      return names(node.funcname);
    case 'DefineStmt':
      return names(node.defnames);
    case 'CreateSchemaStmt':
      return (node.schemaname as string | undefined) ?? null;
    default:
      return null;
  }
}

/** Reads and checks `path`; SCHEMA_FILE_INVALID naming the file and line for anything it cannot take. */
export async function readSchemaFile(path: string): Promise<SchemaFileStatement[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new StepstoneError('SCHEMA_FILE_INVALID', `Could not read the schema file ${path}: ${messageOf(error)}`, { hint: 'Check the path given to --from-file.' });
  }
  // psql meta-commands are not SQL; blanking them keeps every offset (and line) in place.
  const sql = text.replace(/^[ \t]*\\.*$/gm, (line) => ' '.repeat(line.length));
  const parser = await loadParser();
  let parsed: { stmts?: { stmt: Json; stmt_location?: number; stmt_len?: number }[] };
  try {
    parsed = parser.parseSync(sql) as typeof parsed;
  } catch (error) {
    const position = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition;
    const where = position !== undefined ? ` line ${lineAt(sql, position - 1)}` : '';
    throw new StepstoneError('SCHEMA_FILE_INVALID', `${path}${where}: ${messageOf(error)}`, {
      hint: 'Fix the SQL there (the file must be valid PostgreSQL, e.g. the output of pg_dump --schema-only), then run generate again.',
    });
  }
  const statements: SchemaFileStatement[] = [];
  for (const { stmt, stmt_location: location = 0, stmt_len: length } of parsed.stmts ?? []) {
    const kind = Object.keys(stmt)[0];
    const body = sql.slice(location, length ? location + length : undefined);
    const leading = body.length - body.trimStart().length;
    const line = lineAt(sql, location + leading);
    const cluster = CLUSTER_STATEMENTS[kind];
    if (cluster) {
      throw new StepstoneError('SCHEMA_FILE_INVALID', `${path} line ${line}: the statement ${cluster}, which is not part of a database's schema.`, {
        hint: 'A schema file describes your own schemas (tables, types, functions…): remove server-wide statements such as roles, databases and tablespaces.',
      });
    }
    const schema = targetSchema(kind, stmt[kind]);
    if (schema && (SYSTEM_SCHEMAS.has(schema) || schema.startsWith('pg_'))) {
      throw new StepstoneError('SCHEMA_FILE_INVALID', `${path} line ${line}: creates or changes an object in ${schema}, a schema Stepstone does not manage.`, {
        hint: `Keep the file to your own schemas (public and the ones you create); ${schema} belongs to PostgreSQL.`,
      });
    }
    statements.push({ sql: body.trim(), line });
  }
  if (statements.length === 0) {
    throw new StepstoneError('SCHEMA_FILE_INVALID', `${path} holds no SQL statements.`, { hint: 'Point --from-file at a schema file, e.g. the output of pg_dump --schema-only.' });
  }
  return statements;
}

/** Runs the file's statements on the shadow, one by one on one connection; SCHEMA_FILE_INVALID naming the failing line. */
export async function applySchemaFile(knex: Knex, path: string, statements: readonly SchemaFileStatement[]): Promise<void> {
  await knex.transaction(async (trx) => {
    for (const statement of statements) {
      try {
        await trx.raw(statement.sql.replace(/\?/g, '\\?'));
      } catch (error) {
        throw new StepstoneError('SCHEMA_FILE_INVALID', `${path} line ${statement.line}: ${messageOf(error)}`, {
          hint: 'The file must build its schema in an empty database: fix that statement (or the order of the statements), then run generate again.',
          cause: error,
        });
      }
    }
    // A dump changes session settings (search_path, role): the pooled connection goes back as it came.
    await trx.raw('reset all');
    await trx.raw('reset role');
  });
}
