import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('chat_messages', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('session_id').notNullable().references('id').inTable('chat_sessions').onDelete('CASCADE');
    // The conversation's owner, denormalised so a user's history needs no join through sessions.
    t.uuid('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.enu('role', ['user', 'assistant', 'system'], { useNative: true, enumName: 'chat_message_role' }).notNullable();
    t.text('content').notNullable();
    t.integer('token_count');
    t.jsonb('metadata').notNullable().defaultTo(knex.raw(`'{}'::jsonb`));
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['session_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('chat_messages');
  // Dropping the table leaves the native enum behind.
  await knex.raw('DROP TYPE chat_message_role');
}
