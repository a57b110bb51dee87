// Contract fuzz of web mode's HTTP API (issue 10): 1,000 seeded malformed JSON requests over every
// channel, bodies that are not JSON, wrong methods and content types, odd paths and an oversized
// body. No answer is a 500, every answer to an API call is a JSON Result, the server keeps
// answering, and the database, the files and Object.prototype are as they were. STEPSTONE_FUZZ_SEED=<n> replays.
import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type Channel } from '../shared/contract';
import { malformedRequest, rawBodies } from '../../test/fuzz/malformed-requests';
import { fuzzSeed, seededRandom } from '../../test/fuzz/seeded-random';
import { createFuzzWorld, snapshotWorld, type FuzzWorld, type WorldSnapshot } from '../../test/fuzz/fuzz-world';
import { createEventHub } from './event-hub';
import { startWebServer, type WebServer } from './web-server';

const SEED = fuzzSeed(20261201);
const MALFORMED = 1000;
const channels = Object.keys(contract) as Channel[];
const isValidFor = (channel: Channel) => (request: unknown) => contract[channel].request.safeParse(request ?? {}).success;

let world: FuzzWorld;
let server: WebServer;
let staticDir: string;
let before: WorldSnapshot;

interface Answer {
  status: number;
  body: string;
}

/** One raw HTTP request (paths and bytes exactly as given, unlike fetch). */
function send(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path,
        headers: {
          host: `127.0.0.1:${server.port}`,
          authorization: `Bearer ${server.token}`,
          'content-type': 'application/json',
          ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** An API answer: never 500, a JSON Result. */
function checkAnswer(answer: Answer, expectedStatuses: number[], label: string, failures: string[], expectOk = false): void {
  if (!expectedStatuses.includes(answer.status)) {
    failures.push(`${label}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
    return;
  }
  let result: { ok?: boolean; error?: { code?: string } };
  try {
    result = JSON.parse(answer.body);
  } catch {
    failures.push(`${label}: HTTP ${answer.status} with a body that is not JSON: ${answer.body.slice(0, 200)}`);
    return;
  }
  if (typeof result?.ok !== 'boolean' || (!expectOk && result.ok !== false) || result.error?.code === 'INTERNAL') {
    failures.push(`${label}: ${answer.body.slice(0, 200)}`);
  }
}

beforeAll(async () => {
  world = await createFuzzWorld('api_fuzz');
  staticDir = await mkdtemp(join(tmpdir(), 'stepstone-api-fuzz-static-'));
  server = await startWebServer({ service: world.service, events: createEventHub(), staticDir });
  before = await snapshotWorld(world);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await world?.close();
  if (staticDir) await rm(staticDir, { recursive: true, force: true });
});

describe(`contract fuzz of web mode's API (seed ${SEED})`, () => {
  it(`refuses ${MALFORMED} malformed JSON requests with a Result, never a 500, and changes nothing`, async () => {
    const random = seededRandom(SEED);
    const failures: string[] = [];
    let sent = 0;
    for (let i = 0; sent < MALFORMED && i < MALFORMED * 3; i++) {
      const channel = channels[i % channels.length];
      const malformed = malformedRequest(world.validRequest(channel), random, isValidFor(channel));
      if (!malformed) continue;
      sent += 1;
      const answer = await send('POST', `/api/${channel}`, malformed.wire);
      const label = `#${i} ${channel} (${malformed.description})`;
      checkAnswer(answer, [200], label, failures);
      if (answer.status === 200 && !/"code":"INVALID_INPUT"/.test(answer.body)) failures.push(`${label}: not INVALID_INPUT: ${answer.body.slice(0, 200)}`);
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
    expect(sent).toBe(MALFORMED);
    expect(world.internalErrors).toEqual([]);
    expect(await snapshotWorld(world)).toEqual(before);
  }, 300_000);

  it('answers bodies that are not JSON, wrong methods and types, odd paths and an oversized body without a 500', async () => {
    const random = seededRandom(SEED + 1);
    const failures: string[] = [];
    for (const channel of channels) {
      for (const raw of rawBodies(random)) {
        // JSON that makes a valid request (e.g. {"__proto__": …, "profileId": "no-such-profile"}) may be answered ok: a Result either way.
        let valid = false;
        try {
          valid = isValidFor(channel)(JSON.parse(raw.body.toString()));
        } catch {
          // not JSON: a 400
        }
        const answer = await send('POST', `/api/${channel}`, raw.body);
        checkAnswer(answer, valid ? [200] : [400, 200], `${channel} ${raw.description}`, failures, valid);
      }
      checkAnswer(await send('GET', `/api/${channel}`), [405], `${channel} GET`, failures);
      checkAnswer(await send('PUT', `/api/${channel}`, '{}'), [405], `${channel} PUT`, failures);
      checkAnswer(await send('POST', `/api/${channel}`, '{}', { 'content-type': 'text/plain' }), [415], `${channel} text/plain`, failures);
      checkAnswer(await send('POST', `/api/${channel}`, 'profileId=fuzz', { 'content-type': 'application/x-www-form-urlencoded' }), [415], `${channel} form`, failures);
    }
    for (const path of ['/api/__proto__', '/api/constructor', '/api/toString', '/api/hasOwnProperty', '/api/%zz', '/api/app%3Ainfo%00', '/api/' + 'x'.repeat(5000), '/api/app:info/extra', '/api//app:info', '/api/APP:INFO']) {
      checkAnswer(await send('POST', path, '{}'), [404], path.slice(0, 60), failures);
    }
    // Over the 10 MB limit: 413, and the server goes on.
    checkAnswer(await send('POST', '/api/migrations:status', `{"profileId": "${'x'.repeat(11 * 1024 * 1024)}"}`), [413], 'oversized body', failures);
    // Without the token: refused before any handler.
    const anonymous = await send('POST', '/api/profiles:delete', JSON.stringify({ profileId: 'fuzz-saved' }), { authorization: 'Bearer wrong' });
    expect(anonymous.status).toBe(401);

    expect(failures, `seed ${SEED}`).toEqual([]);
    expect(world.internalErrors).toEqual([]);
    const info = await send('POST', '/api/app:info', '{}');
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body)).toMatchObject({ ok: true, value: { mode: 'web' } });
    expect(await snapshotWorld(world)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 300_000);
});
