import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('onboarding_sessions', (t) => {
    t.uuid('id').primary().defaultTo(knex.fn.uuid());
    t.uuid('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.enu('status', ['in_progress', 'completed', 'abandoned'], { useNative: true, enumName: 'onboarding_status' })
      .notNullable()
      .defaultTo('in_progress');
    t.smallint('current_step').notNullable().defaultTo(0);
    t.jsonb('answers').notNullable().defaultTo(knex.raw(`'{}'::jsonb`));
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
    // At most one onboarding in progress per user; finished ones are kept as history.
    t.index(['user_id'], 'onboarding_sessions_one_open_per_user', {
      indexType: 'unique',
      predicate: knex.whereRaw(`status = 'in_progress'`),
    });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('onboarding_sessions');
  await knex.raw('DROP TYPE onboarding_status');
}
