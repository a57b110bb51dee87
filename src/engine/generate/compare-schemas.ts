/**
 * Whether two snapshots describe the same schema for verification: every structural difference
 * counts, except an extension's version (a shadow installs the server's default version), which is
 * only noted.
 */
import type { SchemaChange, SchemaSnapshot } from '../../shared/schema';
import { diffSchemas } from '../schema';

export interface SchemaComparison {
  equal: boolean;
  differences: SchemaChange[];
  notes: string[];
}

export function compareSchemas(expected: SchemaSnapshot, actual: SchemaSnapshot): SchemaComparison {
  const notes: string[] = [];
  const differences = diffSchemas(expected, actual).changes.filter((c) => {
    if (c.kind === 'extension' && c.change === 'changed' && (c.fields ?? []).every((f) => f === 'version')) {
      notes.push(`extension ${c.name} is version ${c.after?.version ?? '?'} on the shadow database, ${c.before?.version ?? '?'} on the compared one`);
      return false;
    }
    return true;
  });
  return { equal: differences.length === 0, differences, notes };
}
