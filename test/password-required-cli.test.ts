// A role that needs a password, and none given (issue 10, defect 5): pg's SCRAM step fails with
// 'client password must be a string' and, before, left its socket open until the server's
// authentication timeout, so the CLI printed the cause and hung. The fake server answers as
// PostgreSQL does (AuthenticationSASL, then waits): the CLI must exit 1 with the cause.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeServer, startFakePostgres } from '../src/engine/connection/fake-postgres-server.testkit';
import { STEPSTONE_BIN, runNodeAsync } from './run-cli';

const home = mkdtempSync(join(tmpdir(), 'stepstone-faults-pw-'));
let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakePostgres({ behaviour: { kind: 'ask-scram-password' } });
});
afterAll(async () => {
  await fake?.close();
});

describe('a scram-sha-256 role without a password', () => {
  for (const args of [['upgrade', '--yes', '--no-backup'], ['history'], ['status'], ['backup', '--method', 'builtin']]) {
    it(`${args[0]}: exits 1 naming where the password goes, without hanging`, async () => {
      const url = `postgres://alice@127.0.0.1:${fake.port}/app`;
      const run = runNodeAsync(STEPSTONE_BIN, [...args, '--db', url, '--migrations', join(__dirname, '..', 'migrations')], {
        env: { STEPSTONE_HOME: home, PGPASSWORD: undefined, PGPASSFILE: join(home, 'no-pgpass') },
      });
      // Generous, far below the server's authentication timeout (60 s) the hang lasted.
      const res = await Promise.race([run, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
      expect(res, 'the CLI did not exit').not.toBeNull();
      expect(res!.code, res!.stderr).toBe(1);
      expect(res!.stderr).toContain('this role (alice) needs a password: give it in the URL, PGPASSWORD or ~/.pgpass');
      expect(res!.stderr).not.toMatch(/at .*node_modules|SASL/);
    });
  }
});
