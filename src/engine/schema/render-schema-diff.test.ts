import { describe, expect, it } from 'vitest';
import type { View } from '../../shared/schema';
import { renderSchemaDiff } from './render-schema-diff';

const view = (definition: string): View => ({ schema: 'public', name: 'active_users', materialized: false, definition, dependsOn: [], indexes: [], comment: null });

describe('renderSchemaDiff', () => {
  it('shows the changed lines of a long definition under "definition changed"', () => {
    const before = view(' SELECT users.id,\n    users.email\n   FROM users\n  WHERE users.active');
    const after = view(' SELECT users.id,\n    users.email\n   FROM users\n  WHERE users.active AND users.verified');
    const text = renderSchemaDiff({ changes: [{ kind: 'view', name: 'public.active_users', change: 'changed', before, after, fields: ['definition'] }] }, { lineDiffs: true });
    expect(text.split('\n')).toEqual([
      '~ view public.active_users: definition changed',
      '    -   WHERE users.active',
      '    +   WHERE users.active AND users.verified',
    ]);
  });

  it('without lineDiffs, one line per change (lists of differences are built from the lines)', () => {
    const before = view(' SELECT users.id\n   FROM users');
    const after = view(' SELECT users.id\n   FROM users\n  WHERE users.active');
    expect(renderSchemaDiff({ changes: [{ kind: 'view', name: 'public.active_users', change: 'changed', before, after, fields: ['definition'] }] })).toBe('~ view public.active_users: definition changed');
  });

  it('keeps a short change on its line, with no diff below', () => {
    const text = renderSchemaDiff({ changes: [{ kind: 'view', name: 'public.v', change: 'changed', before: view('select 1'), after: view('select 2'), fields: ['definition'] }] }, { lineDiffs: true });
    expect(text).toBe('~ view public.v: definition select 1 → select 2');
  });
});
