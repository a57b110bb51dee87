/**
 * A knexfile's TLS material (ca, cert, key) for libpq's tools (pg_dump, pg_restore, psql), which read
 * certificates only from files: written to a private temporary folder (0700, files 0600) for as long
 * as the tools run, named to them in PGSSLROOTCERT / PGSSLCERT / PGSSLKEY, and removed afterwards —
 * on success, on failure, and on Ctrl-C or SIGTERM (through the context's interrupt cleanups).
 * Neither the material nor the key's path is ever logged.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineContext } from '../engine-context';
import type { SslMode } from '../../shared/profile';
import type { TlsMaterial } from './connection-target';

/** What the tools' environment gets, and how to take the files away again (idempotent). */
export interface LibpqTlsFiles {
  env: Record<string, string>;
  dispose(): Promise<void>;
}

/** The files libpq can be given, by the environment variable naming each. */
const FILES = [
  { variable: 'PGSSLROOTCERT', option: 'ca', file: 'root.crt' },
  { variable: 'PGSSLCERT', option: 'cert', file: 'client.crt' },
  { variable: 'PGSSLKEY', option: 'key', file: 'client.key' },
] as const;

/** Modes in which libpq checks the server's certificate (and so reads a root certificate). */
const VERIFYING: readonly string[] = ['verify-ca', 'verify-full'];

/** A PEM option's text: a string, a Buffer, or a list of them (Node's TLS accepts each); undefined for anything else. */
function pemOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value)) {
    const parts = value.map(pemOf);
    return parts.length && parts.every((p) => p !== undefined) ? parts.map((p) => p!.trimEnd()).join('\n') + '\n' : undefined;
  }
  return undefined;
}

/**
 * The files for `tls` under libpq SSL mode `mode` (the libpq spelling: no-verify is already `require`). The root
 * certificate goes only where libpq verifies: given in `require`, libpq would verify against it (its old
 * compatibility rule), which a knexfile's `rejectUnauthorized: false` says not to do. Nothing to write: no folder.
 */
export async function writeLibpqTlsFiles(tls: TlsMaterial | undefined, mode: string, context: EngineContext, root = tmpdir()): Promise<LibpqTlsFiles> {
  const wanted = FILES.map((f) => ({ ...f, pem: pemOf(tls?.[f.option]) })).filter(
    (f) => f.pem !== undefined && mode !== 'disable' && (f.option !== 'ca' || VERIFYING.includes(mode)),
  );
  if (wanted.length === 0) return { env: {}, dispose: async () => undefined };
  const dir = await mkdtemp(join(root, 'stepstone-tls-'));
  let removed: Promise<void> | null = null;
  const removeNow = (): Promise<void> => (removed ??= rm(dir, { recursive: true, force: true }).catch(() => undefined));
  const done = context.interrupts.add(removeNow);
  try {
    await chmod(dir, 0o700); // mkdtemp makes it 0700 already; said here, whatever the umask
    const env: Record<string, string> = {};
    for (const f of wanted) {
      const path = join(dir, f.file);
      // Created 0600 (libpq refuses a key others can read), never readable in between.
      await writeFile(path, f.pem!, { mode: 0o600, flag: 'wx' });
      env[f.variable] = path;
    }
    return {
      env,
      async dispose() {
        await removeNow();
        done();
      },
    };
  } catch (error) {
    await removeNow();
    done();
    throw error;
  }
}

/** libpq's SSL mode for the tools, from the engine's (its `no-verify` is libpq's `require`). */
export function libpqSslMode(mode: SslMode): string {
  return mode === 'no-verify' ? 'require' : mode;
}
