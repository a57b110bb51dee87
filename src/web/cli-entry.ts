/**
 * `npm run web`: the service on the real engine behind the web server, opened on `--db`,
 * `--knexfile` or the embedded demo. Bundled to dist/web.cjs by scripts/web.mjs.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLinePasswordWarning } from '../engine/connection/command-line-password';
import { resolveDataDir } from '../engine/data-folder';
import { isStepstoneError, toErrorInfo } from '../engine/errors';
import { createService } from '../service/create-service';
import { ensureDemoMigrations } from '../service/demo-migrations';
import { createRealEngine } from '../service/real-engine';
import { createEventHub } from './event-hub';
import { initialProfileOf } from './initial-profile';
import { parseWebModeArgs } from './web-mode-options';
import { startWebServer, type WebServer } from './web-server';

export interface WebModeRun {
  server: WebServer;
  stop(): Promise<void>;
}

/** Start web mode from command-line arguments; `rootDir` is the Stepstone checkout (for the built renderer and sample migrations). */
export async function runWebMode(
  argv: readonly string[],
  rootDir: string,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<WebModeRun> {
  const options = parseWebModeArgs(argv);
  const passwordWarning = options.db ? commandLinePasswordWarning(options.db) : null;
  if (passwordWarning) warn(passwordWarning);
  const dataDir = resolveDataDir(options.home);
  mkdirSync(dataDir, { recursive: true });
  const engine = createRealEngine(process.env);
  const initialProfile = await initialProfileOf(options, engine, process.cwd());
  const hub = createEventHub();
  const version = (JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as { version: string }).version;
  const service = createService({
    dataDir,
    mode: 'web',
    version,
    demoMigrationsDir: ensureDemoMigrations(join(rootDir, 'migrations'), dataDir),
    emit: hub.emit,
    engine,
    initialProfile,
  });
  const server = await startWebServer({ port: options.port, host: '127.0.0.1', service, events: hub, staticDir: join(rootDir, 'out', 'renderer') });
  out(`Stepstone web mode: ${server.loginUrl}`);
  return {
    server,
    async stop() {
      await server.close();
      await service.shutdown();
    },
  };
}

/** Main for the bundle: run until SIGINT/SIGTERM; print a one-line error and exit 1 on bad flags. */
export async function main(argv: readonly string[], rootDir: string): Promise<void> {
  let run: WebModeRun;
  try {
    run = await runWebMode(argv, rootDir);
  } catch (error) {
    const info = toErrorInfo(error);
    process.stderr.write(`Stepstone web mode could not start: ${info.message}${info.hint ? `\n${info.hint}` : ''}\n`);
    if (!isStepstoneError(error)) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    process.exit(1);
  }
  const stop = () => {
    void run.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
