/**
 * How a generated migration is written for this project: its extension as `stepstone new` decides
 * it (the knexfile's `migrations.extension`, else TypeScript), and for JavaScript whether it is an
 * ES module or CommonJS (`.mjs`/`.cjs`, else the nearest package.json's "type", else the style of
 * the migrations already in the folder).
 */
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { MigrationSettings } from '../../shared/profile';
import { migrationFileKind, nearestPackageType } from '../project/create-migration';
import type { MigrationFileStyle } from './render-migration-file';

export interface MigrationFileTarget extends MigrationFileStyle {
  /** The extension without a dot: ts, js, cjs or mjs. */
  extension: string;
  /** The folder new migrations go to (the first configured one). */
  directory: string;
}

async function existingStyle(directory: string, extension: string): Promise<'esm' | 'cjs' | null> {
  const files = (await readdir(directory).catch(() => [] as string[])).filter((f) => f.endsWith(`.${extension}`)).sort().reverse();
  for (const file of files.slice(0, 5)) {
    const text = readFileSync(join(directory, file), 'utf8');
    if (/^\s*export\s/m.test(text)) return 'esm';
    if (/\b(module\.)?exports\.(up|down)\b|module\.exports\s*=/.test(text)) return 'cjs';
  }
  return null;
}

/** The extension, module format and folder of a migration generated for `settings`. */
export async function migrationFileTarget(settings: MigrationSettings, language?: 'ts' | 'js'): Promise<MigrationFileTarget> {
  const { extension } = migrationFileKind(settings, language);
  const directory = resolve(settings.directories[0]);
  if (extension === 'ts') return { extension, directory, language: 'ts', format: 'esm' };
  if (extension === 'mjs') return { extension, directory, language: 'js', format: 'esm' };
  if (extension === 'cjs') return { extension, directory, language: 'js', format: 'cjs' };
  const type = nearestPackageType(directory);
  const format = type === 'module' ? 'esm' : ((await existingStyle(directory, extension)) ?? 'cjs');
  return { extension, directory, language: 'js', format };
}
