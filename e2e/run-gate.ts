/**
 * A gate a migration waits at until the spec opens it: the spec holds a PostgreSQL advisory lock,
 * the gated migration asks for the same lock. A run stays "running" on that step for as long as the
 * spec needs (no sleep that a busy machine could outlast), and ends as soon as the gate opens.
 */
import pg from 'pg';
import type { MigrationFile } from './temp-project';

export interface RunGate {
  /** A migration that creates `table`, then waits at the gate. */
  migration(name: string, table: string): MigrationFile;
  /** Let every waiting migration through (idempotent). */
  open(): Promise<void>;
}

/** Close a gate on the database at `url` (the lock is scoped to that database). */
export async function closeGate(url: string): Promise<RunGate> {
  const key = 700_000 + Math.floor(Math.random() * 100_000);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('select pg_advisory_lock($1)', [key]);
  let opened = false;
  return {
    migration: (name, table) => ({
      name,
      up: `await knex.schema.createTable('${table}', (t) => { t.increments('id'); }); await knex.raw('select pg_advisory_lock(${key})'); await knex.raw('select pg_advisory_unlock(${key})');`,
      down: `await knex.schema.dropTableIfExists('${table}');`,
    }),
    async open() {
      if (opened) return;
      opened = true;
      await client.end(); // the session's lock goes with it
    },
  };
}
