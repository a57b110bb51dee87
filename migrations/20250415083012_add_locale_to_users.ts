import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    // BCP 47 tag; the app launched in Chinese, so existing users get zh-CN.
    t.string('locale', 35).notNullable().defaultTo('zh-CN');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('locale');
  });
}
