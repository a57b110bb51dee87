/**
 * A project's own Stepstone settings: `stepstone.json` beside its knexfile, checked into the
 * repository with it, e.g. `{ "requireStaging": true }`. Absent means the defaults; a file that is
 * not valid JSON or has unknown keys is an error naming the file and the problem.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { StepstoneError, messageOf } from '../errors';

export const ProjectSettings = z
  .object({
    /** A production upgrade is refused until staging has applied the same files (else it only warns). */
    requireStaging: z.boolean().default(false),
    /** Lint thresholds for every environment of the project (a profile's own lintThresholds win). */
    lint: z.object({ rows: z.number().int().min(0).optional(), bytes: z.number().int().min(0).optional() }).strict().optional(),
  })
  .strict();
export type ProjectSettings = z.infer<typeof ProjectSettings>;

export const PROJECT_SETTINGS_FILE = 'stepstone.json';

/** The settings beside `knexfile` (defaults when there is no stepstone.json). */
export async function readProjectSettings(knexfile: string): Promise<ProjectSettings> {
  const path = join(dirname(knexfile), PROJECT_SETTINGS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ProjectSettings.parse({});
    throw new StepstoneError('CONFIG_INVALID', `Could not read ${path}: ${messageOf(error)}.`, { hint: 'Check its permissions, or remove it to use the defaults.' });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StepstoneError('CONFIG_INVALID', `${path} is not valid JSON: ${messageOf(error)}.`, { hint: 'Fix it, e.g. { "requireStaging": true }.' });
  }
  const parsed = ProjectSettings.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StepstoneError('CONFIG_INVALID', `${path}: ${issue.path.join('.') || 'the settings'}: ${issue.message}.`, {
      hint: 'Known settings: "requireStaging" (true or false) and "lint" ({ "rows": n, "bytes": n }).',
    });
  }
  return parsed.data;
}
