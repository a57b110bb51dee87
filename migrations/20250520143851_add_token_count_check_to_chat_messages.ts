import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('chat_messages', (t) => {
    t.check('token_count IS NULL OR token_count >= 0', [], 'chat_messages_token_count_nonnegative');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('chat_messages', (t) => {
    t.dropChecks('chat_messages_token_count_nonnegative');
  });
}
