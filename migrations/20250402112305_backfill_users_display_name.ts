import type { Knex } from 'knex';

// Data migration: existing users get their username as display name; names already set are kept.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('UPDATE users SET display_name = username WHERE display_name IS NULL');
}

// Clears exactly the values the backfill could have written. A user who later chose their username
// as display name is indistinguishable and is cleared too; that loses no information.
export async function down(knex: Knex): Promise<void> {
  await knex.raw('UPDATE users SET display_name = NULL WHERE display_name = username');
}
