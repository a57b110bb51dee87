// `stepstone compare` and the promotion guard with a knexfile's staging and production
// environments: applied sets side by side, a file edited between the two runs, the schema
// difference, an unreachable side, the plan warning, requireStaging's refusal, and the history
// recording which staging run a production run followed.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './database';
import { runStepstone } from './run-cli';
import { migrationsFolder, tableMigration } from './targets';

const home = mkdtempSync(join(tmpdir(), 'stepstone-compare-home-'));
let project: string;
let folder: string;
const stepstone = (args: string[]) => runStepstone(args, { cwd: project, env: { STEPSTONE_HOME: home, NODE_ENV: undefined, STEPSTONE_PG_DUMP: 'none' } });

const M1 = '20261001000001_create_a.js';
const M2 = '20261001000002_create_b.js';
const M3 = '20261001000003_create_c.js';

let staging: TestDatabase;
let production: TestDatabase;
beforeAll(async () => {
  staging = await createTestDatabase('cmp_staging');
  production = await createTestDatabase('cmp_production');
  folder = migrationsFolder({ [M1]: tableMigration('a'), [M2]: tableMigration('b'), [M3]: tableMigration('c') });
  project = mkdtempSync(join(tmpdir(), 'stepstone-compare-project-'));
  const env = (url: string) => `{ client: 'pg', connection: ${JSON.stringify(url)}, migrations: { directory: ${JSON.stringify(folder)} } }`;
  writeFileSync(
    join(project, 'knexfile.js'),
    `module.exports = { staging: ${env(staging.url)}, production: ${env(production.url)}, broken: ${env('postgres://postgres@127.0.0.1:1/nowhere')} };\n`,
  );
});
afterAll(async () => {
  await staging?.drop();
  await production?.drop();
});

describe('staging before production', () => {
  it('compare shows what staging has and production lacks, and the schema difference', () => {
    expect(stepstone(['upgrade', '--env', 'staging', '--to', M2, '--yes']).code).toBe(0);
    const run = stepstone(['compare', '--env', 'staging', '--env', 'production', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = run.json;
    expect(report.left).toMatchObject({ label: 'staging', reachable: true, head: M2 });
    expect(report.left.applied.map((m: any) => m.name)).toEqual([M1, M2]);
    expect(report.left.lastRun).toMatchObject({ operation: 'upgrade', outcome: 'succeeded' });
    expect(report.right).toMatchObject({ label: 'production', reachable: true, applied: [], head: null, lastRun: null });
    expect(report.onlyLeft).toEqual([M1, M2]);
    expect(report.onlyRight).toEqual([]);
    expect(report.schemaDiff.changes).toContainEqual(expect.objectContaining({ kind: 'table', name: 'public.a', change: 'removed' }));
    expect(report.same).toBe(false);
  });

  it('a production upgrade past staging warns in the plan, naming the migration and when staging last ran', () => {
    const plan = stepstone(['plan', 'upgrade', '--env', 'production', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.json.plan.promotion).toMatchObject({ staging: { label: 'staging' }, missing: [{ name: M3, reason: 'not-applied' }], required: false });
    const warning = plan.json.plan.warnings.find((w: string) => w.startsWith('Not yet on staging'));
    expect(warning).toContain(M3);
    expect(warning).toMatch(/staging last ran upgrade at \d{4}-/);
  });

  it('records in the history which staging run the production run followed', () => {
    const stagingLast = stepstone(['history', '--env', 'staging', '--json']).json[0];
    const up = stepstone(['upgrade', '--env', 'production', '--to', M2, '--yes']);
    expect(up.code, up.stderr).toBe(0);
    const entry = stepstone(['history', '--env', 'production', '--json']).json[0];
    expect(entry.details.followedStaging).toMatchObject({ environment: 'staging', run: { historyId: stagingLast.id, operation: 'upgrade' } });
  });

  it('a file edited between the two runs shows as a checksum difference', () => {
    writeFileSync(join(folder, M3), `${readFileSync(join(folder, M3), 'utf8')}// reviewed\n`);
    expect(stepstone(['upgrade', '--env', 'staging', '--yes']).code).toBe(0);
    writeFileSync(join(folder, M3), `${readFileSync(join(folder, M3), 'utf8')}// edited again after staging ran it\n`);
    const plan = stepstone(['plan', 'upgrade', '--env', 'production', '--json']);
    expect(plan.json.plan.promotion.missing).toEqual([{ name: M3, reason: 'different-checksum' }]);
    expect(stepstone(['upgrade', '--env', 'production', '--yes']).code).toBe(0);
    const run = stepstone(['compare', '--env', 'staging', '--env', 'production', '--json']);
    expect(run.json.checksumDifferences).toEqual([{ name: M3, left: expect.any(String), right: expect.any(String) }]);
    expect(run.json.onlyLeft).toEqual([]);
    expect(run.json.schemaDiff.changes).toEqual([]);
  });

  it('with "requireStaging": true the upgrade is refused, naming the migrations staging lacks', () => {
    writeFileSync(join(folder, '20261001000004_create_d.js'), tableMigration('d'));
    writeFileSync(join(project, 'stepstone.json'), JSON.stringify({ requireStaging: true }));
    const refused = stepstone(['upgrade', '--env', 'production', '--yes', '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json.error.code).toBe('STAGING_REQUIRED');
    expect(refused.json.error.message).toContain('20261001000004_create_d.js');
    expect(refused.json.error.hint).toContain('requireStaging');
    expect(stepstone(['status', '--env', 'production', '--json']).json.pending.map((p: any) => p.name)).toEqual(['20261001000004_create_d.js']);
    writeFileSync(join(project, 'stepstone.json'), '{ "requireStaging": "yes" }');
    const bad = stepstone(['upgrade', '--env', 'production', '--yes', '--json']);
    expect(bad.json.error).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('stepstone.json: requireStaging') });
  });

  it('compare with one side unreachable still shows the other and explains the unreachable one', () => {
    const run = stepstone(['compare', '--env', 'staging', '--env', 'broken', '--json']);
    expect(run.code).toBe(1);
    expect(run.json.left).toMatchObject({ label: 'staging', reachable: true });
    expect(run.json.left.applied.length).toBeGreaterThanOrEqual(3);
    expect(run.json.right).toMatchObject({ label: 'broken', reachable: false, applied: [] });
    expect(run.json.right.error.message).toMatch(/127\.0\.0\.1:1/);
    expect(run.json.schemaDiff).toBeNull();
    expect(run.stderr).toMatch(/broken could not be read/);
  });
});
