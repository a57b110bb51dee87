/**
 * The built-in backup's file: one file, written front to back, readable table by table.
 *
 *   header   "STEPSTONE-BACKUP 1\n"
 *   frames   [kind u8]['D' = table data | 'M' = manifest][stream u32be][length u32be][payload]
 *            'D': a piece (≤ ~1 MiB) of one table's gzip-1 compressed COPY text. Tables are read
 *                 in parallel, so pieces of different tables interleave; one table's pieces keep
 *                 their order. `stream` is the table's index in the manifest.
 *            'M': the manifest (gzip-compressed JSON), the last frame.
 *   trailer  [manifest frame offset u64be]["STPSTEND"]
 *
 * The manifest lists each table's frames (offset, length), so a reader fetches one table's data
 * by position. The whole file's sha256 lives in the catalogue, checked before any restore.
 */
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { SchemaSnapshot } from '../../shared/schema';
import { StepstoneError } from '../errors';

const HEADER = Buffer.from('STEPSTONE-BACKUP 1\n');
const TRAILER_MAGIC = Buffer.from('STPSTEND');
const FRAME_HEADER_BYTES = 9;

export const BuiltinTable = z.object({
  schema: z.string(),
  name: z.string(),
  /** Columns in the COPY, in order (generated columns left out: they recompute). */
  columns: z.array(z.string()),
  rows: z.number().int(),
  /** sha256 of the table's COPY text. */
  hash: z.string(),
  frames: z.array(z.tuple([z.number().int(), z.number().int()])),
});
export type BuiltinTable = z.infer<typeof BuiltinTable>;

export const SequenceValue = z.object({
  /** A standalone sequence ("schema"."name") or an identity column's sequence (table + column). */
  schema: z.string(),
  name: z.string().nullable(),
  table: z.string().nullable(),
  column: z.string().nullable(),
  lastValue: z.string(),
  isCalled: z.boolean(),
});
export type SequenceValue = z.infer<typeof SequenceValue>;

export const BuiltinManifest = z.object({
  format: z.literal('stepstone-builtin-backup'),
  version: z.literal(1),
  createdAt: z.string(),
  database: z.string(),
  encoding: z.string(),
  serverVersion: z.string(),
  serverVersionNum: z.number().int(),
  head: z.string().nullable(),
  schema: SchemaSnapshot,
  ddl: z.object({ preData: z.array(z.string()), postData: z.array(z.string()) }),
  tables: z.array(BuiltinTable),
  sequences: z.array(SequenceValue),
  unsupported: z.array(z.string()),
});
export type BuiltinManifest = z.infer<typeof BuiltinManifest>;

/** Appends frames to the output in order and hashes every byte written. */
export class BackupFileWriter {
  private offset = 0;
  private readonly hash = createHash('sha256');
  private queue: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;

  constructor(private readonly out: Writable) {
    out.on('error', (error) => {
      this.failure ??= error;
    });
  }

  /** Writes the header; call once first. */
  start(): Promise<void> {
    return this.enqueue(() => this.write(HEADER)).then(() => undefined);
  }

  /** Appends a table-data frame; resolves to where its payload landed. */
  appendData(stream: number, payload: Buffer): Promise<[number, number]> {
    return this.enqueue(async () => {
      const start = await this.writeFrame('D', stream, payload);
      return [start + FRAME_HEADER_BYTES, payload.length] as [number, number];
    });
  }

  /** Appends the manifest and the trailer, then closes the output; resolves to size and sha256. */
  async finish(manifest: BuiltinManifest): Promise<{ sizeBytes: number; checksum: string }> {
    await this.enqueue(async () => {
      const at = await this.writeFrame('M', 0, gzipSync(JSON.stringify(manifest), { level: 1 }));
      const trailer = Buffer.alloc(16);
      trailer.writeBigUInt64BE(BigInt(at), 0);
      TRAILER_MAGIC.copy(trailer, 8);
      await this.write(trailer);
    });
    if (this.failure) throw this.failure;
    this.out.end();
    await finished(this.out);
    return { sizeBytes: this.offset, checksum: this.hash.digest('hex') };
  }

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(() => {
      if (this.failure) throw this.failure;
      return fn();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async writeFrame(kind: 'D' | 'M', stream: number, payload: Buffer): Promise<number> {
    const start = this.offset;
    const head = Buffer.alloc(FRAME_HEADER_BYTES);
    head.write(kind, 0, 'latin1');
    head.writeUInt32BE(stream, 1);
    head.writeUInt32BE(payload.length, 5);
    await this.write(head);
    await this.write(payload);
    return start;
  }

  /** Resolves once the chunk reached the file (the callback fires after the write itself). */
  private write(chunk: Buffer): Promise<void> {
    this.hash.update(chunk);
    this.offset += chunk.length;
    return new Promise((resolve, reject) => {
      this.out.write(chunk, (error) => (error ? reject(error) : resolve()));
    });
  }
}

/** An open built-in backup: its manifest and each table's compressed data. */
export interface BackupFileReader {
  manifest: BuiltinManifest;
  /** The table's gzip-compressed COPY text, as a stream of its frames' payloads. */
  tableData(table: BuiltinTable): Readable;
  close(): Promise<void>;
}

/** Opens a built-in backup file; BACKUP_CORRUPT when it is not one or is damaged. */
export async function openBackupFile(path: string): Promise<BackupFileReader> {
  const file = await open(path, 'r');
  try {
    const manifest = await readManifest(file, path);
    return {
      manifest,
      tableData: (table) => Readable.from(readFrames(file, table.frames), { objectMode: false }),
      close: () => file.close(),
    };
  } catch (error) {
    await file.close();
    throw error;
  }
}

async function readManifest(file: FileHandle, path: string): Promise<BuiltinManifest> {
  const corrupt = (why: string, cause?: unknown) =>
    new StepstoneError('BACKUP_CORRUPT', `The backup file ${path} is not a readable Stepstone backup: ${why}.`, {
      hint: 'Use another backup; this file cannot be restored.',
      cause,
    });
  const { size } = await file.stat();
  if (size < HEADER.length + 16) throw corrupt('it is too short');
  const head = await readAt(file, 0, HEADER.length);
  if (!head.equals(HEADER)) throw corrupt('its header is wrong');
  const trailer = await readAt(file, size - 16, 16);
  if (!trailer.subarray(8).equals(TRAILER_MAGIC)) throw corrupt('its end marker is missing (truncated?)');
  const at = Number(trailer.readBigUInt64BE(0));
  if (at + FRAME_HEADER_BYTES > size - 16) throw corrupt('its manifest offset is out of range');
  const frameHead = await readAt(file, at, FRAME_HEADER_BYTES);
  const length = frameHead.readUInt32BE(5);
  if (frameHead.toString('latin1', 0, 1) !== 'M' || at + FRAME_HEADER_BYTES + length !== size - 16) throw corrupt('its manifest frame is damaged');
  try {
    const json: unknown = JSON.parse(gunzipSync(await readAt(file, at + FRAME_HEADER_BYTES, length)).toString('utf8'));
    return BuiltinManifest.parse(json);
  } catch (error) {
    throw corrupt('its manifest cannot be read', error);
  }
}

async function* readFrames(file: FileHandle, frames: readonly [number, number][]): AsyncGenerator<Buffer> {
  for (const [offset, length] of frames) yield await readAt(file, offset, length);
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw new StepstoneError('BACKUP_CORRUPT', 'The backup file ended early (truncated).');
    done += bytesRead;
  }
  return buffer;
}
