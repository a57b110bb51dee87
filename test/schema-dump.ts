// `pg_dump --schema-only` of a test database, Knex's and Stepstone's tables left out and pg_dump's
// own comments removed, so two databases with the same schema give the same text.
import { spawnSync } from 'node:child_process';

export function schemaDump(url: string): string {
  const res = spawnSync(
    'pg_dump',
    ['--schema-only', '--no-owner', '--no-privileges', '--exclude-table=*.knex_migrations*', '--exclude-table=*.stepstone_*', '--dbname', url],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  if (res.status !== 0) throw new Error(`pg_dump failed: ${res.stderr}`);
  return res.stdout
    .split('\n')
    .filter((line) => !line.startsWith('--') && !line.startsWith('\\restrict') && !line.startsWith('\\unrestrict'))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
