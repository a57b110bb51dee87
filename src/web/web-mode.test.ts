// `npm run web`'s flags and start-up: parsing, the command-line profile, the printed URL, a real call.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { runWebMode, type WebModeRun } from './cli-entry';
import { profileFromUrl } from './initial-profile';
import { parseWebModeArgs } from './web-mode-options';

describe('web mode flags', () => {
  it('parses both flag forms', () => {
    expect(parseWebModeArgs(['--port', '8080', '--db=postgres://u@h/d', '--migrations', 'm', '--home', '/h'])).toEqual({
      port: 8080,
      db: 'postgres://u@h/d',
      migrations: 'm',
      knexfile: undefined,
      env: undefined,
      home: '/h',
    });
    expect(parseWebModeArgs([])).toEqual({ port: undefined, db: undefined, migrations: undefined, knexfile: undefined, env: undefined, home: undefined });
  });

  it('names what is wrong with bad flags', () => {
    expect(() => parseWebModeArgs(['--prot', '1'])).toThrow('Unknown flag --prot.');
    expect(() => parseWebModeArgs(['--port', 'abc'])).toThrow('--port must be a port number');
    expect(() => parseWebModeArgs(['--db'])).toThrow('--db needs a value.');
    expect(() => parseWebModeArgs(['--db', 'x', '--knexfile', 'k'])).toThrow('not both');
    expect(() => parseWebModeArgs(['--env', 'production'])).toThrow('give the knexfile too');
    expect(() => parseWebModeArgs(['stray'])).toThrow('Unexpected argument "stray".');
  });

  it('keeps the URL password out of the command-line profile', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepstone-flags-'));
    try {
      const initial = profileFromUrl('postgres://app:p%40ss@db.example:5433/shop', dir, '/');
      expect(initial.password).toBe('p@ss');
      expect(initial.profile.url).toBe('postgres://app@db.example:5433/shop');
      expect(initial.profile).toMatchObject({ id: 'command-line', name: 'shop (command line)', migrations: { directories: [dir] } });
      expect(() => profileFromUrl('mysql://x@y/z', dir, '/')).toThrow('must start with postgres://');
      expect(() => profileFromUrl('postgres://x@y/z', join(dir, 'nope'), '/')).toThrow('does not exist');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('runWebMode', () => {
  let db: TestDatabase;
  let dir: string;
  let run: WebModeRun;
  const printed: string[] = [];
  const warned: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('webmode');
    dir = await mkdtemp(join(tmpdir(), 'stepstone-webmode-'));
    await mkdir(join(dir, 'migrations'));
    await writeFile(join(dir, 'migrations', '001_t.js'), 'exports.up = (k) => k.schema.createTable("t", (t) => t.increments()); exports.down = (k) => k.schema.dropTable("t");');
    // The test server trusts local connections, so a password in the URL is only there to be warned about.
    const withPassword = new URL(db.url);
    withPassword.password = 'on-the-command-line';
    run = await runWebMode(['--db', withPassword.toString(), '--migrations', join(dir, 'migrations'), '--home', join(dir, 'home')], process.cwd(), (line) => printed.push(line), (line) => warned.push(line));
  });

  afterAll(async () => {
    await run?.stop();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the URL with its token on a line of its own and opens on the --db connection', async () => {
    expect(printed).toEqual([`Stepstone web mode: http://127.0.0.1:${run.server.port}/?token=${run.server.token}`]);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/the password in --db can be read by every user .*PGPASSWORD.*~\/\.pgpass/);
    expect(warned[0]).not.toContain('on-the-command-line');
    const call = (channel: string, body: unknown) =>
      fetch(`http://127.0.0.1:${run.server.port}/api/${channel}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${run.server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json());
    expect(await call('app:info', {})).toMatchObject({ ok: true, value: { mode: 'web', initialProfileId: 'command-line', dataDir: join(dir, 'home') } });
    expect(await call('migrations:status', { profileId: 'command-line' })).toMatchObject({ ok: true, value: { database: db.name, pending: [{ name: '001_t.js' }] } });
  });
});
