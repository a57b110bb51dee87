import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Profile } from '../../shared/profile';
import { createTestDatabase, type TestDatabase } from '../../../test/database';
import { testConnection } from '../connection/test-connection';
import { failureOf } from '../../../test/failure-of';
import { resolveKnexfilePassword, resolveKnexfileTarget } from './knexfile-target';
import { environmentTagOf, openProject } from './open-project';

const root = mkdtempSync(join(tmpdir(), 'stepstone-project-'));
let counter = 0;
const touchedEnv: string[] = [];

/** A new project folder holding the given files. */
function project(files: Record<string, string>): string {
  const dir = join(root, `p${++counter}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
function setEnv(name: string, value: string | undefined): void {
  touchedEnv.push(name);
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('open_project');
});
afterEach(() => {
  for (const name of touchedEnv.splice(0)) delete process.env[name];
});
afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await db?.drop();
});

const TS_KNEXFILE = `
import type { Knex } from 'knex';
import { migrationFolders } from './db-config';

const migrations = { directory: migrationFolders, tableName: 'schema_log', schemaName: 'app', loadExtensions: ['.ts'], sortDirsSeparately: true };

const config: Record<string, Knex.Config> = {
  development: { client: 'pg', connection: process.env.ST_T1_DEV_URL ?? 'postgres://dev:devpass@127.0.0.1:5432/app_dev', migrations },
  staging: { client: 'postgresql', connection: process.env.ST_T1_STAGING_URL, migrations: { ...migrations, disableTransactions: true } },
  production: { client: 'pg', connection: process.env['ST_T1_PRODUCTION_URL'], migrations },
  legacy: { client: 'sqlite3', connection: { filename: './dev.sqlite3' } },
};
export default config;
`;

describe('openProject', () => {
  it('reads a TypeScript knexfile of environments (with a local import), one profile each, passwords left out', async () => {
    setEnv('ST_T1_STAGING_URL', 'postgres://stager:st4ging-secret@db.staging.example:6543/app?sslmode=require');
    setEnv('ST_T1_PRODUCTION_URL', undefined);
    const dir = project({ 'knexfile.ts': TS_KNEXFILE, 'db-config.ts': `export const migrationFolders: string[] = ['./db/migrations', './db/extra'];\n` });
    const opened = await openProject(dir);

    expect(opened.knexfile).toBe(join(dir, 'knexfile.ts'));
    expect(opened.profiles.map((p) => p.source?.env)).toEqual(['development', 'staging', 'production']);
    for (const p of opened.profiles) expect(() => Profile.parse(p)).not.toThrow();
    const [dev, staging, production] = opened.profiles;

    expect(dev).toMatchObject({
      name: `${basename(dir)} · development`,
      environment: 'development',
      url: 'postgres://dev@127.0.0.1:5432/app_dev',
      passwordSource: 'knexfile',
      transactionMode: 'knex',
      source: { knexfile: join(dir, 'knexfile.ts'), env: 'development' },
      migrations: {
        directories: [join(dir, 'db/migrations'), join(dir, 'db/extra')],
        tableName: 'schema_log',
        schemaName: 'app',
        loadExtensions: ['.ts'],
        sortDirsSeparately: true,
      },
    });
    expect(staging).toMatchObject({ environment: 'staging', url: 'postgres://stager@db.staging.example:6543/app?sslmode=require', transactionMode: 'per-migration' });
    expect(production.environment).toBe('production');
    expect(production.url).toBeUndefined();

    const saved = JSON.stringify(opened);
    expect(saved).not.toContain('devpass');
    expect(saved).not.toContain('st4ging-secret');

    expect(opened.warnings).toContain("production's connection comes from ST_T1_PRODUCTION_URL, which is not set.");
    expect(opened.warnings.some((w) => w.startsWith('legacy is skipped: it uses client "sqlite3"'))).toBe(true);

    // Stable ids: opening the same knexfile again gives the same ids.
    const again = await openProject(join(dir, 'knexfile.ts'));
    expect(again.profiles.map((p) => p.id)).toEqual(opened.profiles.map((p) => p.id));
    expect(new Set(opened.profiles.map((p) => p.id)).size).toBe(3);
  });

  it('re-reads the knexfile at connect time: passwords and variables of that moment', async () => {
    setEnv('ST_T1_STAGING_URL', undefined);
    setEnv('ST_T1_PRODUCTION_URL', undefined);
    const dir = project({ 'knexfile.ts': TS_KNEXFILE, 'db-config.ts': `export const migrationFolders = './migrations';\n` });
    const { profiles } = await openProject(dir);
    const staging = profiles.find((p) => p.source?.env === 'staging')!;
    expect(staging.migrations.directories).toEqual([join(dir, 'migrations')]);

    const unset = await failureOf(resolveKnexfileTarget(staging));
    expect(unset.code).toBe('CONFIG_INVALID');
    expect(unset.message).toBe("staging's connection comes from ST_T1_STAGING_URL, which is not set.");

    setEnv('ST_T1_STAGING_URL', 'postgres://late:later-pw@10.1.2.3:5433/stage_db');
    expect(await resolveKnexfilePassword(staging)).toBe('later-pw');
    const target = await resolveKnexfileTarget(staging);
    expect(target.password).toBe('later-pw');
    expect(target.profile.url).toBe('postgres://late@10.1.2.3:5433/stage_db');
    expect(target.profile.id).toBe(staging.id);
    expect(await resolveKnexfilePassword(profiles[0])).toBe('devpass');
  });

  it('reads a CommonJS knexfile.js holding a single config as one profile named after the folder', async () => {
    const dir = project({
      'knexfile.js': `module.exports = {
        client: 'pg',
        connection: { host: '127.0.0.1', port: '5432', user: 'postgres', password: 'pw-in-object', database: 'single_db', ssl: { rejectUnauthorized: false } },
      };\n`,
    });
    const { profiles, warnings } = await openProject(dir);
    expect(warnings).toEqual([]);
    expect(profiles).toHaveLength(1);
    expect(profiles[0]).toMatchObject({
      name: basename(dir),
      environment: 'development',
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      database: 'single_db',
      sslMode: 'no-verify',
      source: { env: 'development' },
      migrations: { directories: [join(dir, 'migrations')], tableName: 'knex_migrations' },
    });
    expect(JSON.stringify(profiles)).not.toContain('pw-in-object');
    expect(await resolveKnexfilePassword(profiles[0])).toBe('pw-in-object');
  });

  it('reads an ESM .mjs knexfile exporting an async function, with async connection functions', async () => {
    const dir = project({
      'knexfile.mjs': `
        const lookup = async (name) => ({ connectionString: 'postgres://svc:fn-secret@db.internal:5432/' + name, ssl: true });
        export default async function () {
          return {
            local: { client: 'pg', connection: async () => lookup('local_db'), migrations: { directory: ['a', 'b'] } },
            'prod-eu': { client: 'pgnative', connection: () => ({ host: 'eu.example', database: 'eu', user: 'ops', password: async () => 'pw-fn' }) },
          };
        }
      `,
    });
    const { profiles, warnings } = await openProject(dir);
    expect(warnings).toEqual([]);
    expect(profiles.map((p) => [p.source?.env, p.environment])).toEqual([['local', 'local'], ['prod-eu', 'production']]);
    expect(profiles[0]).toMatchObject({ url: 'postgres://svc@db.internal:5432/local_db', sslMode: 'verify-full' });
    expect(profiles[0].migrations.directories).toEqual([join(dir, 'a'), join(dir, 'b')]);
    expect(profiles[1]).toMatchObject({ host: 'eu.example', database: 'eu', user: 'ops' });
    expect(await resolveKnexfilePassword(profiles[0])).toBe('fn-secret');
    expect(await resolveKnexfilePassword(profiles[1])).toBe('pw-fn');
  });

  it("leaves no migrations.extension to chance: the knexfile's own extension, as knex migrate:make takes it", async () => {
    const single = (migrations: string) => `{ client: 'pg', connection: 'postgres://u@h/d'${migrations} }`;
    const cases: [Record<string, string>, string][] = [
      [{ 'knexfile.js': `module.exports = ${single('')};\n` }, 'js'],
      [{ 'knexfile.js': `export default ${single('')};\n`, 'package.json': '{"type":"module"}' }, 'js'],
      [{ 'knexfile.mjs': `export default ${single('')};\n` }, 'mjs'],
      [{ 'knexfile.cjs': `module.exports = ${single('')};\n` }, 'cjs'],
      [{ 'knexfile.ts': `export default ${single('')};\n` }, 'ts'],
      [{ 'knexfile.js': `module.exports = ${single(", migrations: { extension: 'ts' }")};\n` }, 'ts'],
    ];
    for (const [files, extension] of cases) {
      const { profiles } = await openProject(project(files));
      expect(profiles[0].migrations.extension, Object.keys(files).join(' ')).toBe(extension);
    }
  });

  it('runs the knexfile in its own folder (as the knex CLI does) and puts the working folder back', async () => {
    const dir = project({
      'database-url.txt': 'postgres://from-file@127.0.0.1:5432/filedb',
      'knexfile.cjs': `const fs = require('node:fs');
        module.exports = { development: { client: 'pg', connection: fs.readFileSync('./database-url.txt', 'utf8').trim() } };\n`,
    });
    const before = process.cwd();
    const { profiles } = await openProject(dir);
    expect(process.cwd()).toBe(before);
    expect(profiles[0].url).toBe('postgres://from-file@127.0.0.1:5432/filedb');
  });

  it('runs the knexfile as if in its folder without process.chdir: relative fs paths, path.resolve, process.cwd(), dotenv, __dirname', async () => {
    const chdir = vi.spyOn(process, 'chdir');
    try {
      const dir = project({
        '.env': 'ST_T2_FROM_DOTENV=postgres://from-dotenv@127.0.0.1:5432/dotenvdb\n',
        'user.txt': 'from-relative-read',
        'knexfile.js': `const fs = require('fs');
          const path = require('path');
          require('dotenv').config();
          module.exports = {
            development: { client: 'pg', connection: process.env.ST_T2_FROM_DOTENV },
            relative: { client: 'pg', connection: { host: '127.0.0.1', user: fs.readFileSync('./user.txt', 'utf8'), database: path.basename(path.resolve('.')) },
              migrations: { directory: path.join(process.cwd(), 'cwd-migrations') } },
            dirname: { client: 'pg', connection: { host: '127.0.0.1', database: 'd' }, migrations: { directory: path.join(__dirname, 'dirname-migrations') } },
          };\n`,
      });
      touchedEnv.push('ST_T2_FROM_DOTENV');
      const { profiles } = await openProject(dir);
      const byEnv = Object.fromEntries(profiles.map((p) => [p.source?.env, p]));
      expect(byEnv.development.url).toBe('postgres://from-dotenv@127.0.0.1:5432/dotenvdb');
      expect(byEnv.relative.user).toBe('from-relative-read');
      expect(byEnv.relative.database).toBe(basename(dir));
      expect(byEnv.relative.migrations.directories).toEqual([join(dir, 'cwd-migrations')]);
      expect(byEnv.dirname.migrations.directories).toEqual([join(dir, 'dirname-migrations')]);
      // A TypeScript knexfile (ESM imports turned into require by esbuild) gets the same view.
      const ts = project({
        '.env': 'ST_T2_TS_DB=tsdb\n',
        'knexfile.ts': `import 'dotenv/config';
          import { readFileSync } from 'node:fs';
          import path from 'node:path';
          const config = { client: 'pg', connection: { host: '127.0.0.1', user: readFileSync('user.txt', 'utf8'), database: process.env.ST_T2_TS_DB },
            migrations: { directory: path.resolve('ts-migrations') } };
          export default config;\n`,
        'user.txt': 'ts-user',
      });
      touchedEnv.push('ST_T2_TS_DB');
      const opened = await openProject(ts);
      expect(opened.profiles[0]).toMatchObject({ user: 'ts-user', database: 'tsdb', migrations: { directories: [join(ts, 'ts-migrations')] } });
      expect(chdir).not.toHaveBeenCalled();
    } finally {
      chdir.mockRestore();
    }
  });

  it('a knexfile profile connects to the real database', async () => {
    setEnv('ST_T1_REAL_URL', db.url);
    const dir = project({ 'knexfile.js': `module.exports = { development: { client: 'pg', connection: process.env.ST_T1_REAL_URL } };\n` });
    const { profiles } = await openProject(dir);
    const result = await testConnection(await resolveKnexfileTarget(profiles[0]));
    expect(result.database).toBe(db.name);
  });

  it('prefers knexfile.js over knexfile.ts in one folder, as the knex CLI does', async () => {
    const dir = project({
      'knexfile.ts': `export default { client: 'pg', connection: 'postgres://ts@h/ts_db' };\n`,
      'knexfile.js': `module.exports = { client: 'pg', connection: 'postgres://js@h/js_db' };\n`,
    });
    const opened = await openProject(dir);
    expect(opened.knexfile).toBe(join(dir, 'knexfile.js'));
    expect(opened.profiles[0].url).toBe('postgres://js@h/js_db');
  });

  it('environment tags from names', () => {
    expect(['development', 'dev', 'local', 'staging', 'stage', 'production', 'prod', 'test', 'prod-eu', 'qa'].map(environmentTagOf)).toEqual([
      'development', 'development', 'local', 'staging', 'staging', 'production', 'production', 'development', 'production', 'development',
    ]);
  });

  describe('bad projects', () => {
    it('a folder without a knexfile → KNEXFILE_NOT_FOUND naming the folder and `stepstone init`', async () => {
      const dir = project({ 'README.md': 'nothing here' });
      const error = await failureOf(openProject(dir));
      expect(error.code).toBe('KNEXFILE_NOT_FOUND');
      expect(error.message).toBe(`No knexfile in ${dir} — create one with \`stepstone init\`.`);
    });

    it('a path that does not exist → KNEXFILE_NOT_FOUND', async () => {
      expect((await failureOf(openProject(join(root, 'no-such-folder')))).code).toBe('KNEXFILE_NOT_FOUND');
    });

    it.each([
      ['a syntax error', 'knexfile.ts', 'export default { client: "pg", connection: \n', /failed to load/],
      ['a throw', 'knexfile.js', 'throw new Error("boom from knexfile");\n', /boom from knexfile/],
      ['nothing exported', 'knexfile.js', 'const x = 1;\n', /no environment with a Knex configuration/],
      ['a number exported', 'knexfile.js', 'module.exports = 42;\n', /exports a number/],
      ['a function that rejects', 'knexfile.mjs', 'export default async () => { throw new Error("vault down"); };\n', /vault down/],
    ])('%s → KNEXFILE_INVALID', async (_label, name, text, message) => {
      const error = await failureOf(openProject(project({ [name]: text })));
      expect(error.code).toBe('KNEXFILE_INVALID');
      expect(error.message).toMatch(message);
      expect(error.hint).toBeTruthy();
    });

    it('only non-PostgreSQL environments → UNSUPPORTED_CLIENT', async () => {
      const dir = project({ 'knexfile.js': `module.exports = { development: { client: 'mysql2', connection: 'mysql://x@h/db' } };\n` });
      const error = await failureOf(openProject(dir));
      expect(error.code).toBe('UNSUPPORTED_CLIENT');
      expect(error.message).toContain('development (client "mysql2")');
    });

    it('a malformed URL lists the profile with a warning and fails with URL_MALFORMED on use', async () => {
      const dir = project({ 'knexfile.js': `module.exports = { development: { client: 'pg', connection: 'postgres://u:pw@host:notaport/db' } };\n` });
      const { profiles, warnings } = await openProject(dir);
      expect(profiles).toHaveLength(1);
      expect(warnings[0]).toMatch(/malformed/);
      expect(warnings[0]).not.toContain('pw');
      expect((await failureOf(resolveKnexfileTarget(profiles[0]))).code).toBe('URL_MALFORMED');
    });
  });
});

describe("the repository's own knexfile.ts", () => {
  const repoKnexfile = resolve(__dirname, '../../../knexfile.ts');
  it.skipIf(!existsSync(repoKnexfile))('opens as development, staging and production over ./migrations', async () => {
    const { profiles } = await openProject(resolve(__dirname, '../../..'));
    expect(profiles.map((p) => [p.source?.env, p.environment])).toEqual([
      ['development', 'development'],
      ['staging', 'staging'],
      ['production', 'production'],
    ]);
    for (const p of profiles) expect(p.migrations.directories).toEqual([resolve(__dirname, '../../../migrations')]);
  });
});
