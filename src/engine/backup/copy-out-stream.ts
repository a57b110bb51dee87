/**
 * `COPY … TO STDOUT` as a readable stream of the COPY text, for a `pg` client: `client.query(copyOut(sql))`.
 *
 * The protocol handling is pg-copy-streams' `to` (v7, MIT): take the socket's data from `pg` while
 * the COPY runs, hand the rest back after CopyDone (or at an ErrorResponse, which `pg` reports).
 * The parsing differs: the server sends one CopyData message per row, and pg-copy-streams cuts a
 * Buffer per row out of a list and concatenates them again per socket read (for 1M rows, ~1M
 * Buffer objects, their list pushes and the garbage). Here each socket read is compacted in place:
 * the rows' bytes are moved over the 5-byte message headers (one copyWithin per row, no Buffer
 * made) and the read is pushed as one piece. A header cut by a read's end waits in 5 bytes; a row
 * cut by it is pushed in two pieces. The output is byte for byte the same COPY text.
 */
import { Readable } from 'node:stream';
import type pg from 'pg';

const CopyData = 0x64; // d
const ErrorResponse = 0x45; // E
// May come between CopyData messages; anything else but CopyData ends copy-out mode.
const CONTINUES = new Set([0x48 /* H CopyOutResponse */, CopyData, 0x53 /* S ParameterStatus */, 0x4e /* N Notice */, 0x41 /* A Notification */]);
const HEADER_BYTES = 5;

type DataHandler = (chunk: Buffer) => void;
interface PgConnection {
  stream: Readable;
  query(text: string): void;
}

export class CopyOutStream extends Readable {
  rowCount = 0;
  private connection: PgConnection | null = null;
  private pgDataHandler: DataHandler | null = null;
  private readonly onReadableEvent = () => this.forward();
  private drained = false;
  private forwarding = false;
  private finished = false;
  /** Header bytes of a message cut by the end of a read. */
  private readonly head = Buffer.alloc(HEADER_BYTES);
  private headBytes = 0;
  /** The current message's type and the bytes of it still to come. */
  private code = 0;
  private remaining = 0;
  private inMessage = false;

  constructor(readonly text: string) {
    super();
  }

  /** Called by `pg` when the query's turn comes. */
  submit(connection: PgConnection): void {
    this.connection = connection;
    const stream = connection.stream;
    const handlers = stream.listeners('data') as DataHandler[];
    if (handlers.length !== 1) throw new Error(`COPY OUT expects one data listener on the connection, found ${handlers.length}`);
    this.pgDataHandler = handlers[0];
    stream.removeListener('data', this.pgDataHandler);
    stream.pause();
    stream.on('readable', this.onReadableEvent);
    connection.query(this.text);
    this.forward();
  }

  override _read(): void {
    this.drained = true;
    this.forward();
  }

  handleError(error: Error): void {
    this.emit('error', error);
  }

  handleCommandComplete(message: { text?: string } | undefined): void {
    const match = /COPY (\d+)/.exec(message?.text ?? '');
    if (match) this.rowCount = Number.parseInt(match[1], 10);
  }

  handleReadyForQuery(): void {}

  private forward(): void {
    if (this.forwarding || !this.drained || !this.connection || this.finished) return;
    this.forwarding = true;
    const stream = this.connection.stream;
    let chunk: Buffer | null;
    while (this.drained && !this.finished && (chunk = stream.read() as Buffer | null) !== null) this.drained = this.parse(chunk);
    this.forwarding = false;
  }

  /** Compacts the rows of one read in place and pushes them; false when the consumer is full. */
  private parse(chunk: Buffer): boolean {
    const length = chunk.length;
    let pos = 0;
    let out = 0;
    while (pos < length) {
      if (this.inMessage) {
        const n = Math.min(this.remaining, length - pos);
        if (this.code === CopyData) {
          if (out !== pos) chunk.copyWithin(out, pos, pos + n);
          out += n;
        }
        pos += n;
        this.remaining -= n;
        if (this.remaining > 0) break;
        this.inMessage = false;
        if (this.code !== CopyData && !CONTINUES.has(this.code)) return this.end(chunk, out, pos);
        continue;
      }
      // A message header: type byte and length (which counts itself, not the type byte).
      let code: number;
      let size: number;
      if (this.headBytes === 0 && length - pos >= HEADER_BYTES) {
        code = chunk[pos];
        if (code === ErrorResponse) return this.detach(chunk, out, pos);
        size = chunk.readUInt32BE(pos + 1);
        pos += HEADER_BYTES;
      } else {
        const take = Math.min(HEADER_BYTES - this.headBytes, length - pos);
        chunk.copy(this.head, this.headBytes, pos, pos + take);
        this.headBytes += take;
        pos += take;
        if (this.headBytes < HEADER_BYTES) break;
        this.headBytes = 0;
        code = this.head[0];
        if (code === ErrorResponse) return this.detach(chunk, out, pos, this.head);
        size = this.head.readUInt32BE(1);
      }
      this.code = code;
      this.remaining = size - 4;
      this.inMessage = true;
      if (this.remaining === 0) {
        this.inMessage = false;
        if (!CONTINUES.has(code)) return this.end(chunk, out, pos);
      }
    }
    return out > 0 ? this.push(chunk.subarray(0, out)) : true;
  }

  /** CopyDone (or the end of copy-out mode): the rows so far, then the rest back to `pg`. */
  private end(chunk: Buffer, out: number, pos: number): boolean {
    if (out > 0) this.push(chunk.subarray(0, out));
    this.handBack(chunk.subarray(pos));
    this.push(null);
    return false;
  }

  /** An ErrorResponse: `pg` reads it (from its first byte) and fails the query through handleError. */
  private detach(chunk: Buffer, out: number, pos: number, partialHead?: Buffer): boolean {
    if (out > 0) this.push(chunk.subarray(0, out));
    const rest = chunk.subarray(pos);
    this.handBack(partialHead ? Buffer.concat([partialHead, rest]) : rest);
    return false;
  }

  private handBack(unread: Buffer): void {
    this.finished = true;
    const connection = this.connection!;
    const stream = connection.stream;
    stream.removeListener('readable', this.onReadableEvent);
    stream.addListener('data', this.pgDataHandler!);
    this.pgDataHandler!(unread);
    // As pg-copy-streams: resume on the next tick, after the data handler above may have paused it.
    process.nextTick(() => stream.resume());
  }
}

/** `client.query(copyOut('copy … to stdout'))` streams the COPY text. */
export function copyOut(text: string): CopyOutStream & pg.Submittable {
  return new CopyOutStream(text) as CopyOutStream & pg.Submittable;
}
