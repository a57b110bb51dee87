import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('calibration_logs', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.bigInteger('profile_snapshot_id').references('id').inTable('profile_snapshots').onDelete('SET NULL');
    t.string('dimension', 64).notNullable();
    t.jsonb('previous_value');
    t.jsonb('new_value').notNullable();
    t.text('reason');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('calibration_logs');
}
