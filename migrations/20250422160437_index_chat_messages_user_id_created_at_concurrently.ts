import type { Knex } from 'knex';

// chat_messages is the big table: a plain CREATE INDEX would block writes for the whole build.
// CONCURRENTLY cannot run inside a transaction block, so this migration opts out of knex's transaction.
export const config = { transaction: false };

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    'CREATE INDEX CONCURRENTLY chat_messages_user_id_created_at_index ON chat_messages (user_id, created_at DESC)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX CONCURRENTLY IF EXISTS chat_messages_user_id_created_at_index');
}
