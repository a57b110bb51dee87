import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('scale_responses', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    // A template that has answers must not vanish: retire it with is_active instead.
    t.integer('template_id').notNullable().references('id').inTable('scale_templates').onDelete('RESTRICT');
    t.uuid('chat_session_id').references('id').inTable('chat_sessions').onDelete('SET NULL');
    t.jsonb('answers').notNullable().defaultTo(knex.raw(`'{}'::jsonb`));
    t.decimal('total_score', 8, 2);
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
    t.index(['user_id', 'template_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('scale_responses');
}
