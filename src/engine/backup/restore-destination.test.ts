// Restoring "into another database" (issue 10, defect 2): a name or a URL on the same server; an
// existing database that holds anything is refused, named, unless the caller asks to replace it;
// a name that is not a database name is refused; nothing is ever created under a URL-like name.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, serverUrl, urlFor, type TestDatabase } from '../../../test/database';
import type { Backup } from '../../shared/backup';
import { targetFor } from './backup-fixture.testkit';
import { restoreBackup, takeBackup } from './index';
import { describeRestoreDestination } from './restore-destination';
import { dropDatabaseQuietly } from './scratch-database';

let source: TestDatabase;
let other: TestDatabase;
let dataDir: string;
const backups: Partial<Record<'builtin' | 'pg_dump', Backup>> = {};
const created = new Set<string>();

async function databaseNames(): Promise<string[]> {
  return (await query<{ datname: string }>(serverUrl(), 'select datname from pg_database order by 1')).map((r) => r.datname);
}

async function tables(url: string): Promise<string[]> {
  const rows = await query<{ t: string }>(url, "select schemaname || '.' || tablename as t from pg_tables where schemaname not in ('pg_catalog', 'information_schema') order by 1");
  return rows.map((r) => r.t);
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string; hint?: string };
  }
  throw new Error('expected a failure');
}

function fresh(label: string): string {
  const name = `${source.name}_${label}`.slice(0, 63);
  created.add(name);
  return name;
}

beforeAll(async () => {
  source = await createTestDatabase('restore_into');
  other = await createTestDatabase('restore_into_other');
  await query(source.url, "create table things (id int primary key, label text); insert into things values (1, 'one'), (2, 'two');");
  await query(other.url, 'create table precious (id int primary key); insert into precious values (42); create schema side; create table side.notes (n text);');
  dataDir = await mkdtemp(join(tmpdir(), 'stepstone-restore-into-'));
  backups.builtin = await takeBackup(targetFor(source.url), { dataDir, method: 'builtin', operation: 'manual', head: null });
  backups.pg_dump = await takeBackup(targetFor(source.url), { dataDir, method: 'pg_dump', operation: 'manual', head: null });
});

afterAll(async () => {
  for (const name of created) await dropDatabaseQuietly(targetFor(source.url), name);
  await source?.drop();
  await other?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe.each(['builtin', 'pg_dump'] as const)('restore into another database (%s)', (method) => {
  const restore = (into: string, replaceExisting?: boolean) => restoreBackup(targetFor(source.url), backups[method]!.id, { dataDir, intoDatabase: into, replaceExisting });

  it('refuses an existing database that holds anything, naming it and what it holds, and leaves it alone', async () => {
    const error = await failure(restore(other.name));
    expect(error.code).toBe('DATABASE_NOT_EMPTY');
    expect(error.message).toContain(`"${other.name}"`);
    expect(error.message).toMatch(/public\.precious/);
    expect(error.message).toMatch(/side/);
    expect(error.hint).toMatch(/replace/i);
    expect(await tables(other.url)).toEqual(['public.precious', 'side.notes']);
    // Also when it is named by a URL on the same server.
    expect((await failure(restore(other.url))).code).toBe('DATABASE_NOT_EMPTY');
    expect(await tables(other.url)).toEqual(['public.precious', 'side.notes']);
  });

  it('creates the database named by a URL on the same server (the name, never the URL)', async () => {
    const name = fresh(`url_${method}`);
    const before = await databaseNames();
    const result = await restore(urlFor(name));
    expect(result.database).toBe(name);
    expect(await tables(urlFor(name))).toEqual(['public.things']);
    // Other tests create databases on the same server meanwhile: look only for this one and URL-like names.
    const added = (await databaseNames()).filter((d) => !before.includes(d));
    expect(added).toContain(name);
    expect(added.filter((d) => d.includes('/') || d.includes(':'))).toEqual([]);
  });

  it('restores into an existing empty database without creating one', async () => {
    const name = fresh(`empty_${method}`);
    await query(serverUrl(), `create database "${name}"`);
    const result = await restore(name);
    expect(result.database).toBe(name);
    expect(await query(urlFor(name), 'select id, label from things order by id')).toEqual([
      { id: 1, label: 'one' },
      { id: 2, label: 'two' },
    ]);
  });

  it('with replace, drops what the database holds first and says what it drops', async () => {
    const name = fresh(`replace_${method}`);
    await query(serverUrl(), `create database "${name}"`);
    await query(urlFor(name), 'create table stale (id int); create schema old_stuff; create table old_stuff.t (x int);');
    const destination = await describeRestoreDestination(targetFor(source.url), name);
    expect(destination).toMatchObject({ database: name, exists: true });
    expect(destination.contents?.summary).toMatch(/public\.stale/);
    expect(destination.contents?.summary).toMatch(/old_stuff/);
    const logs: string[] = [];
    const result = await restoreBackup(targetFor(source.url), backups[method]!.id, { dataDir, intoDatabase: name, replaceExisting: true, onLog: (m) => logs.push(m) });
    expect(result.database).toBe(name);
    expect(await tables(urlFor(name))).toEqual(['public.things']);
    expect(logs.join('\n')).toMatch(/Dropping .*public\.stale/);
  });
});

describe('names --into refuses before touching the server', () => {
  const restore = (into: string) => restoreBackup(targetFor(source.url), backups.builtin!.id, { dataDir, intoDatabase: into });

  it.each([
    ['a URL-like name', 'postgres:/x'],
    ['a slash', 'app/restored'],
    ['a colon', 'host:5432'],
    ['an empty name', ''],
    ['surrounding spaces', ' app '],
    ['a control character', 'app\nx'],
    ['64 bytes', 'x'.repeat(64)],
    ['32 two-byte characters', 'é'.repeat(32)],
  ])('%s', async (_label, into) => {
    const error = await failure(restore(into));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/database name/);
    expect(await databaseNames()).not.toContain(into);
  });

  it('a URL on another server, or another user', async () => {
    const u = new URL(urlFor('elsewhere'));
    u.port = String(Number(u.port || 5432) + 1);
    const error = await failure(restore(u.toString()));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/same server/);
    const v = new URL(urlFor('elsewhere'));
    v.username = 'someone_else';
    expect((await failure(restore(v.toString()))).message).toMatch(/same server/);
  });

  it('the database itself (a restore in place is asked for without --into)', async () => {
    const error = await failure(restore(source.name));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/is the database itself/);
    expect(await tables(source.url)).toEqual(['public.things']);
  });
});
