/** `stepstone backup | backups | restore <id> | verify <id>`. */
import { StepstoneError } from '../../engine';
import { cliBackupPlace } from '../backup-place';
import { cliEngine } from '../cli-engine';
import { confirm } from '../confirm';
import { dim, formatLeftovers, formatMs, green, red } from '../format';
import { note, printJson, printLine } from '../output';
import type { ParsedCommand } from '../parse-args';
import { resolveCliTarget } from '../resolve-cli-target';

const size = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);

export async function backupCommand({ options }: ParsedCommand): Promise<number> {
  const engine = cliEngine();
  const target = await resolveCliTarget(engine, options);
  const backup = await engine.takeBackup(target, cliBackupPlace(options), { onLog: options.json ? undefined : note, onWarning: note });
  if (options.json) printJson(backup);
  else printLine(`Backup ${backup.id}: ${backup.method}, ${size(backup.sizeBytes)}, head ${backup.head ?? '∅'}, in ${formatMs(backup.durationMs)}\n${dim(backup.file)}`);
  return 0;
}

export async function backupsCommand({ options }: ParsedCommand): Promise<number> {
  const engine = cliEngine();
  const target = await resolveCliTarget(engine, options);
  const place = cliBackupPlace(options);
  // Stale leftovers go first; what remains is counted in the text (--json stays the array of backups scripts parse).
  const leftovers = await engine.leftovers(target, place, { clean: true, onLog: options.json ? undefined : note });
  const backups = await engine.listBackups(target, place);
  if (!options.json) {
    const text = formatLeftovers(leftovers);
    if (text) printLine(text);
  }
  if (options.json) {
    printJson(backups.map((b) => ({ id: b.id, file: b.file, createdAt: b.createdAt, method: b.method, head: b.head, sizeBytes: b.sizeBytes, operation: b.operation, database: b.database, checksum: b.checksum })));
  } else if (!backups.length) {
    printLine(dim('No backups of this database yet.'));
  } else {
    for (const b of backups) printLine(`${b.id}  ${b.createdAt}  ${b.method.padEnd(7)}  ${size(b.sizeBytes).padStart(10)}  before ${b.operation}, head ${b.head ?? '∅'}\n  ${dim(b.file)}`);
  }
  return 0;
}

function backupIdOf(positionals: string[], command: string): string {
  const id = positionals[0];
  if (!id) throw new StepstoneError('INVALID_INPUT', `Name the backup: stepstone ${command} <id>.`, { hint: 'List them with `stepstone backups`.' });
  return id;
}

export async function restoreCommand({ positionals, options }: ParsedCommand): Promise<number> {
  if (options.cleanup) {
    if (positionals.length || options.into !== undefined) throw new StepstoneError('INVALID_INPUT', '--cleanup takes no backup id and no --into: it only drops what killed restores left.');
    const engine = cliEngine();
    const target = await resolveCliTarget(engine, options);
    const leftovers = await engine.leftovers(target, cliBackupPlace(options), { clean: true, onLog: options.json ? undefined : note });
    if (options.json) printJson(leftovers);
    else printLine(formatLeftovers(leftovers) || 'Nothing left by interrupted restores, backups or dry runs.');
    return 0;
  }
  const id = backupIdOf(positionals, 'restore');
  if (options.replace && options.into === undefined) {
    throw new StepstoneError('INVALID_INPUT', "--replace goes with --into: a restore in place always replaces the database's contents.", { hint: 'Use --into <db> --replace, or leave --replace out.' });
  }
  const engine = cliEngine();
  const target = await resolveCliTarget(engine, options);
  if (options.into === undefined) {
    const database = engine.databaseNameOf(target);
    await confirm(`Restore backup ${id} into ${database}? This replaces the database's schemas and data with the backup's.`, {
      yes: options.yes,
      confirmation: engine.confirmationFor(target),
    });
  } else {
    // Named and checked before anything is read or written; a database that holds something needs --replace and a confirmation.
    const destination = await engine.describeRestoreDestination(target, options.into, { replace: options.replace === true });
    if (destination.contents) {
      note(`--replace drops everything "${destination.database}" holds: ${destination.contents.summary}.`);
      await confirm(`Replace the contents of ${destination.database} with backup ${id}?`, {
        yes: options.yes,
        // What the profile's changes ask, for the database --into names: its name typed on production.
        confirmation: engine.confirmationFor(target).kind === 'typed-name' ? { kind: 'typed-name', name: destination.database } : { kind: 'click' },
      });
    }
  }
  const result = await engine.restoreBackup(target, cliBackupPlace(options), id, {
    intoDatabase: options.into,
    replaceExisting: options.replace,
    onLog: options.json ? undefined : note,
  });
  if (options.json) printJson({ database: result.database, head: result.head, durationMs: result.durationMs, backupId: id });
  else printLine(green(`Restored ${id} into ${result.database} in ${formatMs(result.durationMs)}; head is ${result.head ?? '∅'}.`));
  return 0;
}

export async function verifyCommand({ positionals, options }: ParsedCommand): Promise<number> {
  const id = backupIdOf(positionals, 'verify');
  const engine = cliEngine();
  const target = await resolveCliTarget(engine, options);
  const result = await engine.verifyBackup(target, cliBackupPlace(options), id, { onLog: options.json ? undefined : note });
  if (options.json) printJson(result);
  else {
    for (const t of result.tables) printLine(`${t.ok ? green('✓') : red('✗')} ${t.table}  ${t.actualRows ?? '?'} / ${t.expectedRows} rows`);
    printLine(result.ok ? green(result.message) : red(result.message));
  }
  if (!result.ok) {
    process.stderr.write(`stepstone: ${result.message}\n`);
    return 1;
  }
  return 0;
}
