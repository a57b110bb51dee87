/** The connection form's values and their mapping to and from a saved profile. */
import type { Environment, ProfileInput, ProfileView, TransactionMode } from '../../../shared/contract';
import type { ConnectionFields } from './connection-url';

export interface ProfileForm extends ConnectionFields {
  id: string;
  name: string;
  environment: Environment;
  migrationsFolder: string;
  transactionMode: TransactionMode;
  backupBeforeMigrate: boolean;
  readOnly: boolean;
}

/** A blank form for "Add connection". */
export function emptyForm(id: string): ProfileForm {
  return {
    id, name: '', environment: 'development', host: '127.0.0.1', port: '5432', user: 'postgres', database: '', password: '',
    sslMode: '', migrationsFolder: '', transactionMode: 'knex', backupBeforeMigrate: true, readOnly: false,
  };
}

/** Fill the form from a saved profile (for Edit, or Duplicate with a new id and name). */
export function formFromProfile(profile: ProfileView, overrides: Partial<ProfileForm> = {}): ProfileForm {
  return {
    id: profile.id,
    name: profile.name,
    environment: profile.environment,
    host: profile.host ?? '',
    port: profile.port ? String(profile.port) : '5432',
    user: profile.user ?? '',
    database: profile.database ?? '',
    password: '',
    sslMode: profile.sslMode ?? '',
    migrationsFolder: profile.migrations.directories[0] ?? '',
    transactionMode: profile.transactionMode,
    backupBeforeMigrate: profile.backupBeforeMigrate,
    readOnly: profile.readOnly,
    ...overrides,
  };
}

/** What is wrong with the form, field by field (empty when it can be saved). */
export function validateForm(form: ProfileForm): Partial<Record<keyof ProfileForm, string>> {
  const errors: Partial<Record<keyof ProfileForm, string>> = {};
  if (!form.name.trim()) errors.name = 'Give the connection a name.';
  if (!form.host.trim()) errors.host = 'Enter the server’s host name or address.';
  const port = Number(form.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) errors.port = 'The port is a number from 1 to 65535 (PostgreSQL’s default is 5432).';
  if (!form.database.trim()) errors.database = 'Enter the database name.';
  if (!form.migrationsFolder.trim()) errors.migrationsFolder = 'Choose a migrations folder: the folder holding the Knex migration files.';
  return errors;
}

/** The profile to save; `existing` keeps what the form does not show (knexfile source, table name). */
export function profileFromForm(form: ProfileForm, existing: ProfileView | undefined, mode: 'desktop' | 'web'): ProfileInput {
  const passwordSource = form.password ? (mode === 'desktop' ? 'keychain' : 'prompt') : (existing?.passwordSource ?? 'none');
  return {
    id: form.id,
    name: form.name.trim(),
    environment: form.environment,
    kind: 'postgres',
    host: form.host.trim(),
    port: Number(form.port),
    user: form.user.trim() || undefined,
    database: form.database.trim(),
    sslMode: form.sslMode || undefined,
    passwordSource,
    passwordEnv: existing?.passwordEnv,
    migrations: { ...(existing?.migrations ?? { tableName: 'knex_migrations' }), directories: [form.migrationsFolder.trim()] },
    transactionMode: form.transactionMode,
    // Saved as chosen: the engine backs up production whatever this says (its plans tell why).
    backupBeforeMigrate: form.backupBeforeMigrate,
    readOnly: form.readOnly,
    source: existing?.source,
  };
}
