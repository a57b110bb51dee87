import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('scale_templates', (t) => {
    t.increments('id').primary();
    t.string('code', 64).notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.string('name', 200).notNullable();
    t.text('description');
    t.jsonb('items').notNullable();
    t.jsonb('scoring');
    t.boolean('is_active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['code', 'version']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('scale_templates');
}
