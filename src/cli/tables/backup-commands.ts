/** The backup commands: one table each. */
import { BACKUP_OPTIONS, TARGET_OPTIONS } from '../option-catalog';
import type { CommandSpec } from '../command-spec';

const backupId = { min: 0, max: 1 }; // a missing id gets its own message (list them with `backups`)

export const backupCommands: CommandSpec[] = [
  {
    name: 'backup',
    positionals: { min: 0, max: 0 },
    summary: 'take a backup now',
    options: { method: true, keep: true, ...BACKUP_OPTIONS, ...TARGET_OPTIONS },
    load: async () => (await import('../commands/backup-commands')).backupCommand,
  },
  {
    name: 'backups',
    positionals: { min: 0, max: 0 },
    summary: 'list the backups of this database',
    options: { ...BACKUP_OPTIONS, ...TARGET_OPTIONS },
    load: async () => (await import('../commands/backup-commands')).backupsCommand,
  },
  {
    name: 'restore',
    args: '<id>',
    positionals: backupId,
    summary: 'restore a backup into this database, or into another one on the same server (--into)',
    options: { into: true, replace: true, yes: true, ...BACKUP_OPTIONS, ...TARGET_OPTIONS },
    load: async () => (await import('../commands/backup-commands')).restoreCommand,
  },
  {
    name: 'verify',
    args: '<id>',
    positionals: backupId,
    summary: 'restore into a scratch database and compare with the catalogue',
    options: { ...BACKUP_OPTIONS, ...TARGET_OPTIONS },
    load: async () => (await import('../commands/backup-commands')).verifyCommand,
  },
];
