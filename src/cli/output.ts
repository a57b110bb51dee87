/** Writing results: one JSON document with --json, else human text. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Progress and notes go to stderr so stdout stays parseable. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}
