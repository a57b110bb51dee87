// Knex's PostgreSQL dialect class (no typings of its own): Stepstone extends it in pg-client.ts.
declare module 'knex/lib/dialects/postgres/index.js' {
  const ClientPg: unknown;
  export default ClientPg;
}
