import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database';
import { CopyOutStream, copyOut } from './copy-out-stream';

/** One protocol message: type byte, length (counting itself), payload. */
function message(type: string, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/** A stand-in for pg's connection: a paused socket with pg's one data listener. */
function fakeConnection() {
  const stream = new PassThrough();
  const handedBack: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => handedBack.push(chunk));
  return Object.assign(new EventEmitter(), { stream, handedBack, query: () => undefined });
}

/** Writes `bytes` in pieces of `size`, each read on its own (a socket's reads). */
async function feed(stream: PassThrough, bytes: Buffer, size: number): Promise<void> {
  for (let at = 0; at < bytes.length; at += size) {
    stream.write(bytes.subarray(at, at + size));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function drain(copy: CopyOutStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  await pipeline(copy, new Writable({ write: (chunk: Buffer, _e, done) => (parts.push(Buffer.from(chunk)), done()) }));
  return Buffer.concat(parts);
}

const rows = ['1\talice\n', '2\t\\N\n', '', '3\t' + 'x'.repeat(300) + '\n', '4\tlast\n'];
const wire = Buffer.concat([
  message('H', Buffer.from([0, 0, 2, 0, 0, 0, 0])),
  message('d', rows[0]),
  message('N', 'SNOTICE\0'),
  message('d', rows[1]),
  message('d', rows[2]),
  message('S', 'application_name\0x\0'),
  message('d', rows[3]),
  message('d', rows[4]),
  message('c'),
]);
const after = Buffer.concat([message('C', 'COPY 5\0'), message('Z', 'I')]);

describe('CopyOutStream (parsing)', () => {
  // Every read size from 1 byte up: headers and rows cut at every place a socket read can cut them.
  for (const size of [1, 2, 3, 4, 5, 6, 7, 11, 64, 1 << 16]) {
    it(`gives the rows' bytes and hands the rest back to pg, read ${size} bytes at a time`, async () => {
      const connection = fakeConnection();
      const copy = new CopyOutStream('copy t to stdout');
      copy.submit(connection as never);
      const bytes = Buffer.concat([wire, after]);
      const text = drain(copy);
      await feed(connection.stream, bytes, size);
      expect((await text).toString()).toBe(rows.join(''));
      await new Promise((resolve) => setImmediate(resolve));
      expect(Buffer.concat(connection.handedBack).equals(after)).toBe(true);
      expect(connection.stream.listenerCount('readable')).toBe(0);
    });
  }

  for (const size of [1, 3, 6, 1 << 16]) {
    it(`hands an ErrorResponse to pg from its first byte, read ${size} bytes at a time`, async () => {
      const connection = fakeConnection();
      const copy = new CopyOutStream('copy t to stdout');
      copy.submit(connection as never);
      const error = Buffer.concat([message('E', 'SERROR\0Mboom\0\0'), message('Z', 'I')]);
      const bytes = Buffer.concat([message('H', Buffer.from([0, 0, 0])), message('d', rows[0]), error]);
      const parts: Buffer[] = [];
      copy.on('data', (chunk: Buffer) => parts.push(Buffer.from(chunk)));
      await feed(connection.stream, bytes, size);
      await new Promise((resolve) => setImmediate(resolve));
      expect(Buffer.concat(parts).toString()).toBe(rows[0]);
      expect(Buffer.concat(connection.handedBack).equals(error)).toBe(true);
    });
  }
});

describe('CopyOutStream (on a server)', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase('copy_out_stream');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`create table t (id int, note text, data bytea, doc jsonb);
      insert into t select g, case when g % 7 = 0 then null else repeat(md5(g::text), 1 + g % 50) end,
        decode(repeat(md5(g::text), g % 3), 'hex'), jsonb_build_object('g', g, 'tab', e'a\\tb')
      from generate_series(1, 20000) g;
      insert into t values (0, repeat('y', 300000), null, null)`);
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it("reads the same bytes and row count as pg-copy-streams, and leaves the client usable", async () => {
    const sql = 'copy t to stdout';
    const ours = client.query(copyOut(sql));
    const text = await drain(ours);
    const theirs = client.query(copyTo(sql));
    const expected = await drain(theirs as unknown as CopyOutStream);
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(text.equals(expected)).toBe(true);
    expect(ours.rowCount).toBe(20001);
    expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('fails with the server error raised after some rows were sent, and the client stays usable', async () => {
    const copy = client.query(copyOut('copy (select 1 / (5000 - g) from generate_series(1, 10000) g) to stdout'));
    await expect(drain(copy)).rejects.toThrow(/division by zero/);
    expect((await client.query('select 2 as two')).rows).toEqual([{ two: 2 }]);
  });
});
