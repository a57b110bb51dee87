/**
 * Backup settings, shared by the desktop app, web mode and the CLI: `<dataDir>/settings.json`
 * (`{ "backups": { "folder": "...", "keep": 20, "pgDump": "/path/or/none" } }`), overridden by
 * STEPSTONE_BACKUPS_DIR, STEPSTONE_BACKUP_KEEP and STEPSTONE_PG_DUMP.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StepstoneError } from '../errors';
import type { PgToolSearchOptions } from '../backup/take-backup';

export interface BackupSettings {
  backupsDir?: string;
  retention?: number;
  pgTools?: PgToolSearchOptions;
}

/** pg_dump search from a setting: a path to use (and only that one), or `none` to never use pg_dump. */
export function pgToolsFromSetting(value: string | undefined, source: string): PgToolSearchOptions | undefined {
  if (!value) return undefined;
  if (value === 'none') return { pathEnv: '', folders: [] };
  return { pgDumpPath: value, pgDumpSource: source };
}

interface SettingsFileContents {
  backups?: { folder?: string; keep?: number; pgDump?: string };
}

/** The file's schema; zod is loaded only when there is a settings file to check (keeps CLI start-up lean). */
async function settingsFileSchema() {
  const { z } = await import('zod');
  return z.object({
    backups: z
      .object({
        folder: z.string().min(1).optional(),
        keep: z.number().int().min(1).optional(),
        pgDump: z.string().min(1).optional(),
      })
      .optional(),
  });
}

async function readSettingsFile(dataDir: string): Promise<SettingsFileContents> {
  const path = join(dataDir, 'settings.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return {};
  }
  const parsed = (await settingsFileSchema()).safeParse((() => {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  })());
  if (!parsed.success) {
    throw new StepstoneError('CONFIG_INVALID', `The settings file ${path} is not valid.`, {
      hint: 'Fix it or delete it; e.g. { "backups": { "folder": "/backups", "keep": 20, "pgDump": "/usr/bin/pg_dump" } }',
    });
  }
  return parsed.data;
}

/** The effective backup settings for this data folder. */
export async function readBackupSettings(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<BackupSettings> {
  const file = (await readSettingsFile(dataDir)).backups ?? {};
  const keepEnv = env.STEPSTONE_BACKUP_KEEP === undefined ? undefined : Number(env.STEPSTONE_BACKUP_KEEP);
  if (keepEnv !== undefined && (!Number.isInteger(keepEnv) || keepEnv < 1)) {
    throw new StepstoneError('CONFIG_INVALID', `STEPSTONE_BACKUP_KEEP must be a whole number of 1 or more, not "${env.STEPSTONE_BACKUP_KEEP}".`);
  }
  const folder = env.STEPSTONE_BACKUPS_DIR ?? file.folder;
  // An empty STEPSTONE_PG_DUMP counts as unset, as with the other variables.
  const pgTools = env.STEPSTONE_PG_DUMP ? pgToolsFromSetting(env.STEPSTONE_PG_DUMP, 'STEPSTONE_PG_DUMP') : pgToolsFromSetting(file.pgDump, `backups.pgDump in ${join(dataDir, 'settings.json')}`);
  return {
    ...(folder ? { backupsDir: resolve(dataDir, folder) } : {}),
    ...(keepEnv ?? file.keep ? { retention: keepEnv ?? file.keep } : {}),
    ...(pgTools ? { pgTools } : {}),
  };
}
