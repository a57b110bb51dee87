// Contract fuzz of the service's dispatcher (issue 10): 1,200 seeded malformed requests over every
// channel (wrong types, missing and extra fields, huge strings, `__proto__` keys, deep nesting,
// bodies that are not objects) must each be refused as INVALID_INPUT, never throw, never report an
// unexpected error, and leave the database, the files and Object.prototype exactly as they were.
// Then requests of the right shape naming things that do not exist. STEPSTONE_FUZZ_SEED=<n> replays or explores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type Channel } from '../shared/contract';
import { malformedRequest, hugeString } from '../../test/fuzz/malformed-requests';
import { fuzzSeed, seededRandom } from '../../test/fuzz/seeded-random';
import { createFuzzWorld, snapshotWorld, PROFILE_ID, type FuzzWorld, type WorldSnapshot } from '../../test/fuzz/fuzz-world';

const SEED = fuzzSeed(20261130);
const MALFORMED = 1200;
const channels = Object.keys(contract) as Channel[];
const isValidFor = (channel: Channel) => (request: unknown) => contract[channel].request.safeParse(request ?? {}).success;

let world: FuzzWorld;
let before: WorldSnapshot;

beforeAll(async () => {
  world = await createFuzzWorld('contract_fuzz');
  before = await snapshotWorld(world);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe(`contract fuzz of the dispatcher (seed ${SEED})`, () => {
  it(`refuses ${MALFORMED} malformed requests as INVALID_INPUT and changes nothing`, async () => {
    const random = seededRandom(SEED);
    const perChannel = new Map<Channel, number>();
    const failures: string[] = [];
    let sent = 0;
    for (let i = 0; sent < MALFORMED && i < MALFORMED * 3; i++) {
      const channel = channels[i % channels.length];
      const malformed = malformedRequest(world.validRequest(channel), random, isValidFor(channel));
      if (!malformed) continue;
      sent += 1;
      perChannel.set(channel, (perChannel.get(channel) ?? 0) + 1);
      let result: unknown;
      try {
        result = await world.service.dispatch(channel, malformed.request);
      } catch (error) {
        failures.push(`#${i} ${channel} (${malformed.description}): dispatch threw ${(error as Error)?.message}`);
        continue;
      }
      const r = result as { ok?: boolean; error?: { code?: string } };
      if (r?.ok !== false || r.error?.code !== 'INVALID_INPUT') {
        failures.push(`#${i} ${channel} (${malformed.description}): answered ${JSON.stringify(result)?.slice(0, 300)}`);
      }
    }
    expect(failures, `seed ${SEED}: ${failures.length} malformed requests were not refused cleanly`).toEqual([]);
    expect(sent).toBe(MALFORMED);
    // Every channel got its share (a channel whose requests could never be broken would show here).
    for (const channel of channels) expect(perChannel.get(channel) ?? 0, channel).toBeGreaterThanOrEqual(Math.floor(MALFORMED / channels.length / 2));
    expect(world.internalErrors).toEqual([]);
    expect(await snapshotWorld(world)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 300_000);

  it('answers requests of the right shape that name what does not exist with a typed error, changing nothing', async () => {
    const random = seededRandom(SEED + 1);
    const bogusIds = ['no-such-profile', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '../../etc/passwd', '\u0000', '💥', 'x'.repeat(10_000)];
    const bogusNames = ['../../../../etc/passwd', '__proto__', '/etc/passwd', 'C:\\Windows\\win.ini', '20250101000000_alpha.js\u0000.txt', hugeString(random, 10_000, 20_000)];
    const failures: string[] = [];
    let sent = 0;
    const check = async (channel: Channel, request: unknown) => {
      if (!isValidFor(channel)(request)) return; // only well-shaped requests here
      sent += 1;
      try {
        const result = await world.service.dispatch(channel, request);
        if (!result.ok && result.error.code === 'INTERNAL') failures.push(`${channel} ${JSON.stringify(request).slice(0, 120)}: INTERNAL ${result.error.message}`);
      } catch (error) {
        failures.push(`${channel}: dispatch threw ${(error as Error)?.message}`);
      }
    };
    for (const channel of channels) {
      const valid = world.validRequest(channel) as Record<string, unknown>;
      if (valid && typeof valid === 'object' && 'profileId' in valid) {
        for (const profileId of bogusIds) await check(channel, { ...valid, profileId });
      }
      // The real profile with references that do not exist.
      if ('backupId' in valid) for (const backupId of ['20990101-000000-abcdef', '../../etc/passwd', '__proto__', 'x'.repeat(100)]) await check(channel, { ...valid, profileId: PROFILE_ID, backupId, ...(channel === 'backups:restore' ? { intoDatabase: undefined, confirmation: undefined } : {}) });
      if (channel === 'migrations:source' || channel === 'migrations:open-in-editor') for (const name of bogusNames) await check(channel, { profileId: PROFILE_ID, name });
      if (channel === 'migrations:cancel') for (const runId of bogusIds.filter((id) => id.length <= 100)) await check(channel, { runId });
      if (channel === 'projects:open') for (const folder of ['/nonexistent/fuzz', '/etc/passwd', '\u0000', hugeString(random, 5000, 6000)]) await check(channel, { folder });
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(100);
    expect(world.internalErrors).toEqual([]);
    expect(await snapshotWorld(world)).toEqual(before);
  }, 300_000);
});
