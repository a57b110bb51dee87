/** The CLI's help text. */
export const HELP = `stepstone — versioned Knex migrations on PostgreSQL, with plans, history, locks and backups

Usage: stepstone <command> [options]

Commands
  status                      applied, pending, missing, edited and out-of-order migrations; the lock
  upgrade [--to <name>]       apply pending migrations (to head, or up to and including <name>)
  rollback [--step <n> | --to <name> | --all]
                              undo the last batch (default), n migrations, everything after <name>, or all
  history                     the audit log of upgrades, rollbacks, failures and unlocks
  unlock [--force]            release Knex's migration lock if it is stale (--force: even if live)
  new <name> [--js]           create a migration file from the template
  init [folder]               create migrations/ and knexfile.ts (never overwrites)
  backup [--method pg_dump|builtin]   take a backup now
  backups                     list the backups of this database
  restore <id> [--into <db>]  restore a backup (into this database, or a new one)
  verify <id>                 restore into a scratch database and compare with the catalogue
  plan upgrade|rollback [...] show a plan with each migration's SQL and schema change (dry run, rolled back)
  sql upgrade|rollback [...]  print the SQL of a plan as a reviewable script
  drift                       schema changes made outside migrations

Where
  --db <url>                  postgres://user:password@host:5432/database
  --knexfile <file> --env <name>
                              a knexfile and one of its environments (default: ./knexfile.*, NODE_ENV or development)
  --migrations <dir>          the migrations folder (default ./migrations; repeat for several)
  --table-name <name>         Knex's ledger table (default knex_migrations)
  --per-migration             one transaction per migration instead of one for the whole plan
  --production                treat the database as production (confirmations, backups always on)

Output and safety
  --json                      print one JSON document on stdout
  --yes, -y                   do not ask for confirmation
  --no-backup                 skip the automatic backup before upgrade/rollback (refused on production)
  --home <dir>                Stepstone's data folder (default STEPSTONE_HOME or the user-data folder)
  --backups-dir <dir>         where backups go (default <home>/backups, or settings.json's backups.folder)
  --keep <n>                  backups kept per database (default 20)
  STEPSTONE_PG_DUMP=<path>|none   the pg_dump to use, or none to always use the built-in backup

Exit status: 0 on success; 1 when the command failed (the cause is on stderr); 2 for bad usage.
`;
