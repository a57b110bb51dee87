/**
 * The latest rollback check of each migration, kept in Stepstone's data folder (the stairway never
 * touches the target database, so its results cannot live there): `rollback-checks.json`, by
 * migrations folder(s), then by migration. Each result carries the checksum of the file it checked,
 * so a later edit shows as "not verified since edited".
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { MigrationSettings } from '../../shared/profile';
import { StoredRollbackCheck, type VerifyRollbacksReport } from '../../shared/verify';

const StoredCheck = StoredRollbackCheck;
export type { StoredRollbackCheck };

const Store = z.record(z.string(), z.record(z.string(), StoredCheck));
type Store = z.infer<typeof Store>;

const FILE = 'rollback-checks.json';

/** The key of a project: its migrations folders, in order. */
function projectKey(settings: MigrationSettings): string {
  return settings.directories.join('\n');
}

async function readStore(dataDir: string): Promise<Store> {
  try {
    const parsed = Store.safeParse(JSON.parse(await readFile(join(dataDir, FILE), 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {}; // none yet, or unreadable: no results to show
  }
}

/** Records every migration the report checked (migrations it did not reach keep their older result). */
export async function recordRollbackChecks(dataDir: string, settings: MigrationSettings, report: VerifyRollbacksReport): Promise<void> {
  const store = await readStore(dataDir);
  const key = projectKey(settings);
  const project = { ...store[key] };
  for (const check of report.migrations) project[check.migration] = { ...check, verifiedAt: report.verifiedAt };
  store[key] = project;
  await mkdir(dataDir, { recursive: true });
  const temporary = join(dataDir, `${FILE}.${process.pid}.tmp`);
  await writeFile(temporary, `${JSON.stringify(store, null, 2)}\n`);
  await rename(temporary, join(dataDir, FILE));
}

/** The latest check of each migration of this project, by name. */
export async function readRollbackChecks(dataDir: string, settings: MigrationSettings): Promise<Record<string, StoredRollbackCheck>> {
  return (await readStore(dataDir))[projectKey(settings)] ?? {};
}
