// Vitest global setup: make sure the tests have a PostgreSQL server, and say which one.
import { findPostgresServer } from './postgres-server.mjs';
import { buildCli } from '../scripts/build-cli.mjs';

export default async function setup(): Promise<() => void> {
  let stop = () => {};
  if (!process.env.STEPSTONE_TEST_SERVER_URL) {
    const server = await findPostgresServer();
    process.env.STEPSTONE_TEST_SERVER_URL = server.url;
    stop = server.stop;
    process.stdout.write(`PostgreSQL for tests: ${server.description}\n`);
  }
  // CLI tests run the bundled CLI; build it from the current sources first.
  // A broken CLI build must not hide the other tests' results: the CLI tests fail on their own.
  await buildCli().catch((error: Error) => process.stderr.write(`Could not build the CLI (CLI tests will fail): ${error.message}\n`));
  return () => stop();
}
