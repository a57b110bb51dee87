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
    summary: 'list the backups of this database, and what interrupted backups, restores and dry runs left (stale ones are removed)',
    options: { ...BACKUP_OPTIONS, ...TARGET_OPTIONS },
    load: async () => (await import('../commands/backup-commands')).backupsCommand,
  },
  {
    name: 'restore',
    args: '<id>',
    positionals: backupId,
    summary: 'restore a backup into this database, or into another one on the same server (--into); --cleanup: drop what killed restores left',
    options: { into: true, replace: true, yes: true, cleanup: true, ...BACKUP_OPTIONS, ...TARGET_OPTIONS },
    load: async () => (await import('../commands/backup-commands')).restoreCommand,
  },
  {
    name: 'verify',
    args: '[<backup-id>]',
    positionals: backupId,
    summary: "with a backup id: restore it into a scratch database and compare with the catalogue; without: prove each migration's rollback on a shadow database",
    description: [
      'Without an id this is the rollback stairway: on a shadow database (a temporary one on the same server, or --shadow), never the target,',
      'each migration in order runs up, down (the schema must equal the one before it) and up again (it must equal the one after the first up).',
      'Each gets a result: ok, not-reversible (what down leaves behind or does not bring back), down-failed, up-failed or re-up-failed.',
      'Exit 1 when any is not ok. The results also show on the app\'s timeline.',
    ].join(' '),
    options: {
      to: 'without an id: check the migrations up to and including this one',
      shadow: 'without an id: an empty database to use as the shadow (needs no CREATEDB)',
      ...BACKUP_OPTIONS,
      ...TARGET_OPTIONS,
    },
    load: async () => (await import('../commands/verify-command')).verifyCommand,
  },
];
