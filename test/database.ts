// A fresh database per test file, dropped afterwards.
import pg from 'pg';
import { randomBytes } from 'node:crypto';

export function serverUrl(): string {
  const url = process.env.STEPSTONE_TEST_SERVER_URL ?? process.env.STEPSTONE_TEST_DATABASE_URL;
  if (!url) throw new Error('No test server: run the tests through `npm test` or vitest (its global setup finds one).');
  return url;
}

/** The server URL pointed at another database. */
export function urlFor(database: string): string {
  const u = new URL(serverUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Create an empty database named after the test file. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `st_${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`create database "${name}"`));
  return {
    name,
    url: urlFor(name),
    drop: () => dropDatabase(name),
  };
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
}

/** Run one query on a database and return its rows. */
export async function query<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
