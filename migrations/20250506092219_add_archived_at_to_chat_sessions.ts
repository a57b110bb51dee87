import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('chat_sessions', (t) => {
    t.timestamp('archived_at', { useTz: true });
    // The sidebar lists a user's open sessions, newest first; archived ones stay out of the index.
    t.index(['user_id', 'last_message_at'], 'chat_sessions_open_by_user_index', {
      predicate: knex.whereNull('archived_at'),
    });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('chat_sessions', (t) => {
    t.dropIndex(['user_id', 'last_message_at'], 'chat_sessions_open_by_user_index');
    t.dropColumn('archived_at');
  });
}
