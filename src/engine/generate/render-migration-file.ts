/**
 * A planned migration as a file in the project's style: TypeScript (typed against Knex), or
 * JavaScript as ES module or CommonJS. Builder steps become `knex.schema` calls, the rest
 * `knex.raw` with every `?` escaped (Knex would take it for a bind parameter).
 */
import { escapeQuestionMarks } from './column-builder';
import { jsString } from './js-literals';
import type { MigrationCode, MigrationStep } from './migration-steps';
import { assertNever } from '../../shared/assert-never';

export type MigrationLanguage = 'ts' | 'js';
export type ModuleFormat = 'esm' | 'cjs';

export interface MigrationFileStyle {
  language: MigrationLanguage;
  /** For JavaScript: `export` (ES module) or `exports.up =` (CommonJS). TypeScript always uses `export`. */
  format: ModuleFormat;
}

export interface MigrationFileParts {
  /** Lines of the header comment (no comment markers). */
  header: string[];
  up: MigrationStep[];
  down: MigrationStep[];
  /** Exports `config = { transaction: false }` (Knex runs it without a transaction). */
  nonTransactional?: boolean;
}

const INDENT = '  ';

/** The file's text. */
export function renderMigrationFile(parts: MigrationFileParts, style: MigrationFileStyle): string {
  const header = ['/**', ...parts.header.map((line) => ` *${line ? ` ${line.replace(/\*\//g, '* /')}` : ''}`), ' */'].join('\n');
  const up = renderBody(parts.up, parts.nonTransactional === true);
  const down = renderBody(parts.down, parts.nonTransactional === true);
  const config = parts.nonTransactional ? `\n${style.format === 'cjs' && style.language === 'js' ? 'exports.config' : 'export const config'} = { transaction: false };\n` : '';
  if (style.language === 'ts') {
    return `${header}
import type { Knex } from 'knex';
${config}
export async function up(knex: Knex): Promise<void> {
${up}}

export async function down(knex: Knex): Promise<void> {
${down}}
`;
  }
  const doc = `/**\n * @param { import("knex").Knex } knex\n * @returns { Promise<void> }\n */`;
  if (style.format === 'esm') {
    return `${header}
${config}
${doc}
export async function up(knex) {
${up}}

${doc}
export async function down(knex) {
${down}}
`;
  }
  return `${header}
${config}
${doc}
exports.up = async function up(knex) {
${up}};

${doc}
exports.down = async function down(knex) {
${down}};
`;
}

/** Raw statements per `knex.raw` call in a file that runs without a transaction (each call is one implicit transaction). */
const BATCH = 50;

function renderBody(steps: readonly MigrationStep[], batched: boolean): string {
  const merged = batched ? batchRawSteps(steps) : mergeAlterSteps(steps);
  const lines: string[] = [];
  let failed = false;
  for (const step of merged) {
    if (step.comment) lines.push(...step.comment.split('\n').map((l) => `${INDENT}// ${l}`));
    if (step.code.kind === 'fail') {
      lines.push(`${INDENT}// ${step.code.message}`);
      lines.push(`${INDENT}throw new Error(${jsString(step.code.message)});`);
      failed = true;
      continue;
    }
    if (failed && lines[lines.length - 1]?.includes('throw new Error')) {
      lines.push(`${INDENT}// What follows reverses the rest; it runs once the throw above is dealt with.`);
    }
    lines.push(...renderCode(step.code));
  }
  if (lines.length === 0) lines.push(`${INDENT}// Nothing to do.`);
  return `${lines.join('\n')}\n`;
}

function schemaCall(schema: string): string {
  return `knex.schema.withSchema(${jsString(schema)})`;
}

function renderCode(code: Exclude<MigrationCode, { kind: 'fail' }>): string[] {
  switch (code.kind) {
    case 'table':
      return [
        `${INDENT}await ${schemaCall(code.schema)}.${code.method}(${jsString(code.table)}, (t) => {`,
        ...code.lines.map((l) => `${INDENT}${INDENT}${l}`),
        `${INDENT}});`,
      ];
    case 'dropTable':
      return [`${INDENT}await ${schemaCall(code.schema)}.dropTable(${jsString(code.table)});`];
    case 'renameTable':
      return [`${INDENT}await ${schemaCall(code.schema)}.renameTable(${jsString(code.from)}, ${jsString(code.to)});`];
    case 'raw': {
      const literal = jsString(escapeQuestionMarks(code.sql));
      return `${INDENT}await knex.raw(${literal});`.split('\n');
    }
    default:
      return assertNever(code, 'migration code');
  }
}

/** The kind of a builder line, for merging neighbours that Knex runs in the order written. */
function lineFamily(line: string): string {
  if (line.endsWith('.alter();')) return 'alter';
  if (line.startsWith('t.dropColumn(')) return 'drop';
  if (line.startsWith('t.renameColumn(')) return 'rename';
  if (line.startsWith('t.index(')) return 'index';
  if (line.startsWith('t.foreign(')) return 'foreign';
  if (line.startsWith('t.primary(') || line.startsWith('t.unique(')) return 'key';
  return 'add';
}

/** Consecutive `alterTable` steps on one table doing the same kind of thing become one call. */
function mergeAlterSteps(steps: readonly MigrationStep[]): MigrationStep[] {
  const out: MigrationStep[] = [];
  for (const step of steps) {
    const prev = out[out.length - 1];
    const code = step.code;
    if (
      prev &&
      !step.comment &&
      prev.code.kind === 'table' &&
      code.kind === 'table' &&
      prev.code.method === 'alterTable' &&
      code.method === 'alterTable' &&
      prev.code.schema === code.schema &&
      prev.code.table === code.table &&
      ['add', 'drop', 'index', 'foreign'].includes(lineFamily(code.lines[0])) &&
      [...prev.code.lines, ...code.lines].every((l) => lineFamily(l) === lineFamily(code.lines[0]))
    ) {
      out[out.length - 1] = { ...prev, code: { ...prev.code, lines: [...prev.code.lines, ...code.lines] } };
    } else {
      out.push(step);
    }
  }
  return out;
}

/** Consecutive raw statements joined into calls of up to BATCH statements (one round trip each). */
function batchRawSteps(steps: readonly MigrationStep[]): MigrationStep[] {
  const out: MigrationStep[] = [];
  let count = 0;
  for (const step of steps) {
    const prev = out[out.length - 1];
    if (prev && !step.comment && prev.code.kind === 'raw' && step.code.kind === 'raw' && count < BATCH) {
      out[out.length - 1] = { ...prev, code: { kind: 'raw', sql: `${prev.code.sql};\n${step.code.sql}` } };
      count++;
    } else {
      out.push(step);
      count = 1;
    }
  }
  return out;
}
