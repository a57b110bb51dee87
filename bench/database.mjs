// The benchmarks' own connections to the PostgreSQL server they measure on: one client for one
// piece of set-up or clean-up, and the URL of another database on the same server.
import pg from 'pg';

/** Run `fn` on a new client of `url`, closed afterwards whatever happens. */
export async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** `serverUrl` with its database replaced by `database`. */
export function databaseUrl(serverUrl, database) {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
