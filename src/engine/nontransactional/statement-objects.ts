/**
 * Which schema objects a migration's statements create and drop, read with PostgreSQL's parser
 * (libpg-query): indexes (the CONCURRENTLY builds a transaction cannot hold), tables, and the rest
 * as "other". What an interrupted migration left is then a catalog question about these names.
 */
import { loadParser } from '../lint/read-statement';

export interface ObjectRef {
  kind: 'index' | 'table' | 'other';
  schema: string | null;
  name: string;
}

export interface StatementObjects {
  creates: ObjectRef[];
  drops: ObjectRef[];
}

// libpg-query's JSON tree: every node is `{ TypeName: { …fields } }`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function names(list: Json[]): string[] {
  return (list ?? []).map((n: Json) => String(n?.String?.sval ?? '')).filter(Boolean);
}

function dropped(stmt: Json): ObjectRef[] {
  const kind = stmt.removeType === 'OBJECT_INDEX' ? 'index' : stmt.removeType === 'OBJECT_TABLE' ? 'table' : 'other';
  return (stmt.objects ?? []).flatMap((o: Json) => {
    const parts = names(o?.List?.items ?? []);
    if (!parts.length) return [];
    return [{ kind, schema: parts.length > 1 ? parts[parts.length - 2] : null, name: parts[parts.length - 1] } as ObjectRef];
  });
}

/** The objects `statements` create and drop; null when one of them cannot be parsed. */
export async function statementObjects(statements: string[]): Promise<StatementObjects | null> {
  const parser = await loadParser();
  const creates: ObjectRef[] = [];
  const drops: ObjectRef[] = [];
  for (const sql of statements) {
    let tree: { stmts?: { stmt: Json }[] };
    try {
      tree = parser.parseSync(sql);
    } catch {
      return null;
    }
    for (const { stmt } of tree.stmts ?? []) {
      if (stmt.IndexStmt) {
        const s = stmt.IndexStmt;
        // An unnamed index gets a name PostgreSQL chooses: not one to look up.
        if (s.idxname) creates.push({ kind: 'index', schema: s.relation?.schemaname ?? null, name: s.idxname });
      } else if (stmt.CreateStmt) {
        creates.push({ kind: 'table', schema: stmt.CreateStmt.relation?.schemaname ?? null, name: stmt.CreateStmt.relation?.relname });
      } else if (stmt.DropStmt) {
        drops.push(...dropped(stmt.DropStmt));
      }
    }
  }
  // What a migration creates and drops again in one go is neither left nor missing afterwards.
  const key = (o: ObjectRef) => `${o.kind}:${o.schema ?? ''}.${o.name}`;
  const dropKeys = new Set(drops.map(key));
  const createKeys = new Set(creates.map(key));
  return { creates: creates.filter((o) => !dropKeys.has(key(o))), drops: drops.filter((o) => !createKeys.has(key(o))) };
}
