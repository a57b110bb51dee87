/**
 * Statements as one reviewable SQL script, remembering which lines each statement took, so a view
 * can highlight the failing statement and scroll to a migration's part.
 */
import type { CapturedStatement } from '../../shared/contract';

/** One block of the script: a header comment (e.g. the migration's name) and its statements. */
export interface ScriptPart {
  key: string;
  header?: string;
  /** Shown instead of statements when there are none (e.g. "-- no SQL"). */
  empty?: string;
  statements: CapturedStatement[];
  /** 0-based index of the statement to mark (the one that failed). */
  markStatement?: number | null;
}

export interface Script {
  text: string;
  /** 1-based lines of the marked statements. */
  marked: number[];
  /** 1-based first line of each part, by key. */
  partLine: Map<string, number>;
}

/** The text of one statement, ending with a semicolon, bindings as a comment. */
export function statementText(statement: CapturedStatement): string {
  const sql = statement.sql.trim().replace(/;?$/, ';');
  return statement.bindings.length > 0 ? `${sql}\n-- bindings: ${JSON.stringify(statement.bindings)}` : sql;
}

/** Join parts into a script; parts and statements are separated by blank lines. */
export function buildScript(parts: ScriptPart[]): Script {
  const lines: string[] = [];
  const marked: number[] = [];
  const partLine = new Map<string, number>();
  for (const part of parts) {
    if (lines.length > 0) lines.push('');
    partLine.set(part.key, lines.length + 1);
    if (part.header) lines.push(part.header);
    if (part.statements.length === 0 && part.empty) lines.push(part.empty);
    part.statements.forEach((statement, i) => {
      if (i > 0) lines.push('');
      const text = statementText(statement).split('\n');
      if (i === part.markStatement) for (let n = 0; n < text.length; n++) marked.push(lines.length + 1 + n);
      lines.push(...text);
    });
  }
  return { text: lines.join('\n'), marked, partLine };
}
