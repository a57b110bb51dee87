import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('profile_snapshots', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    // A snapshot outlives the chat it was derived from.
    t.uuid('source_session_id').references('id').inTable('chat_sessions').onDelete('SET NULL');
    t.integer('version').notNullable();
    t.jsonb('profile').notNullable();
    t.text('summary');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['user_id', 'version']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('profile_snapshots');
}
