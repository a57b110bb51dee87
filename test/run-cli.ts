// Running the CLI (or any node script) as a separate process, the way users and pipelines do.
import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');
export const STEPSTONE_BIN = join(ROOT, 'bin', 'stepstone.cjs');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, or null. */
  json: any;
}

export interface RunOptions {
  cwd?: string;
  /** Added to the environment; an `undefined` value removes the variable. */
  env?: Record<string, string | undefined>;
}

function environment(env: RunOptions['env'] = {}): NodeJS.ProcessEnv {
  const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return merged as NodeJS.ProcessEnv;
}

function parsed(code: number | null, stdout: string, stderr: string): CliRun {
  let json: unknown = null;
  try {
    json = JSON.parse(stdout);
  } catch {}
  return { code: code ?? -1, stdout, stderr, json };
}

/** `stepstone <args>`, waiting for it to finish. */
export function runStepstone(args: string[], options: RunOptions = {}): CliRun {
  const res = spawnSync(process.execPath, [STEPSTONE_BIN, ...args], { cwd: options.cwd ?? ROOT, encoding: 'utf8', env: environment(options.env), timeout: 120_000, maxBuffer: 1 << 28 });
  return parsed(res.status, res.stdout, res.stderr);
}

/** A node script in its own process, without blocking (for concurrent runs). */
export function runNodeAsync(script: string, args: string[], options: RunOptions = {}): Promise<CliRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: options.cwd ?? ROOT, env: environment(options.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done(parsed(code, stdout, stderr)));
  });
}
