/** Command-line flags of `npm run web`, parsed with a clear message for each mistake. */
import { StepstoneError } from '../engine/errors';

export interface WebModeOptions {
  port?: number;
  db?: string;
  migrations?: string;
  knexfile?: string;
  env?: string;
  home?: string;
}

const FLAGS = new Set(['port', 'db', 'migrations', 'knexfile', 'env', 'home']);
const USAGE = 'Usage: npm run web -- [--port N] [--db <postgres url> --migrations <folder>] [--knexfile <file> --env <name>] [--home <data folder>]';

/** Parse `--flag value` and `--flag=value` pairs. */
export function parseWebModeArgs(argv: readonly string[]): WebModeOptions {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new StepstoneError('INVALID_INPUT', `Unexpected argument "${arg}".`, { hint: USAGE });
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (!FLAGS.has(name)) throw new StepstoneError('INVALID_INPUT', `Unknown flag --${name}.`, { hint: USAGE });
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '') throw new StepstoneError('INVALID_INPUT', `--${name} needs a value.`, { hint: USAGE });
    values[name] = value;
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new StepstoneError('INVALID_INPUT', `--port must be a port number (0–65535), not "${values.port}".`, { hint: 'Leave it out to use a free port.' });
    }
  }
  if (values.db && values.knexfile) {
    throw new StepstoneError('INVALID_INPUT', 'Give either --db or --knexfile, not both.', { hint: USAGE });
  }
  if (values.env && !values.knexfile) {
    throw new StepstoneError('INVALID_INPUT', '--env picks an environment of --knexfile; give the knexfile too.', { hint: USAGE });
  }
  return { port, db: values.db, migrations: values.migrations, knexfile: values.knexfile, env: values.env, home: values.home };
}
