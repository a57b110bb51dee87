import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, urlFor, type TestDatabase } from '../../../test/database';
import { introspectSchema } from '../schema';
import { dumpRows, FIXTURE_SQL, targetFor } from './backup-fixture.testkit';
import { restoreBackup, takeBackup } from './index';
import { renderRestoreDdl } from './restore-ddl';
import { dropDatabaseQuietly } from './scratch-database';

let db: TestDatabase;
let dataDir: string;
const created: string[] = [];

/** Waits (up to 30 s) until the restoring database has the constraint `conname`; else fails saying it `missing`. */
async function untilConstraint(url: string, conname: string, missing: string): Promise<void> {
  for (let waited = 0; ; waited += 100) {
    const [{ n }] = await query<{ n: number }>(url, 'select count(*)::int as n from pg_catalog.pg_constraint where conname = $1', [conname]);
    if (n === 1) return;
    if (waited > 30_000) throw new Error(`${conname} ${missing}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function schemaOf(url: string) {
  const knex: Knex = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  try {
    return await introspectSchema(knex);
  } finally {
    await knex.destroy();
  }
}

beforeAll(async () => {
  db = await createTestDatabase('restore_parallel');
  await query(db.url, FIXTURE_SQL);
  dataDir = await mkdtemp(join(tmpdir(), 'stepstone-restore-parallel-'));
});

afterAll(async () => {
  for (const name of created) await dropDatabaseQuietly(targetFor(db.url), name);
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('restore into a new database', () => {
  it('loads tables over several connections at once, each before its keys and indexes exist', async () => {
    const backup = await takeBackup(targetFor(db.url), { dataDir, method: 'builtin', operation: 'manual' });
    const name = `${db.name}_par`;
    created.push(name);

    // The first table's load waits until a second one has started: a restore loading one table at
    // a time would never get there (and fails on the timeout instead).
    let secondStarted!: () => void;
    const second = new Promise<void>((resolve) => (secondStarted = resolve));
    const started: string[] = [];
    const indexesAtLoad: Record<string, number> = {};
    await restoreBackup(targetFor(db.url), backup.id, {
      dataDir,
      intoDatabase: name,
      parallel: 2,
      beforeTable: async (table) => {
        started.push(table);
        const [{ n }] = await query<{ n: number }>(urlFor(name), 'select count(*)::int as n from pg_catalog.pg_index where indrelid = $1::regclass', [table]);
        indexesAtLoad[table] = n;
        if (started.length === 1) {
          await Promise.race([
            second,
            new Promise((_, reject) => setTimeout(() => reject(new Error('no second table was loaded alongside the first')), 10_000)),
          ]);
        } else secondStarted();
      },
    });

    expect(started.length).toBe(backup.tables.length);
    // Keys and indexes come after the rows: none exists on a table when its rows are loaded.
    expect(indexesAtLoad['public.things']).toBe(0);
    expect(indexesAtLoad['audit.events']).toBe(0);
    // …and all of them exist afterwards, exactly as in the source.
    expect(await dumpRows(urlFor(name))).toEqual(await dumpRows(db.url));
    expect(await schemaOf(urlFor(name))).toEqual(await schemaOf(db.url));
  });

  it("builds a table's keys as soon as its rows are in, while other tables still load (as pg_restore -j)", async () => {
    const backup = await takeBackup(targetFor(db.url), { dataDir, method: 'builtin', operation: 'manual' });
    const name = `${db.name}_overlap`;
    created.push(name);
    const order: string[] = [];
    await restoreBackup(targetFor(db.url), backup.id, {
      dataDir,
      intoDatabase: name,
      parallel: 2,
      beforeTable: async (table) => {
        order.push(table);
        if (table !== 'public.knex_migrations') return;
        // A small table loads after the largest: by then the largest one's primary key is built or being
        // built. A restore that builds keys only after every table is loaded never gets there.
        await untilConstraint(urlFor(name), 'things_pkey', 'was not built while knex_migrations waited to load');
      },
    });
    expect(order[0]).toBe('public.things');
    expect(order).toContain('public.knex_migrations');
    expect(await dumpRows(urlFor(name))).toEqual(await dumpRows(db.url));
    expect(await schemaOf(urlFor(name))).toEqual(await schemaOf(db.url));
  });

  it('adds a foreign key once both its tables are loaded and keyed, while other tables still load (as pg_restore -j)', async () => {
    const backup = await takeBackup(targetFor(db.url), { dataDir, method: 'builtin', operation: 'manual' });
    const name = `${db.name}_fk`;
    created.push(name);
    const started: string[] = [];
    await restoreBackup(targetFor(db.url), backup.id, {
      dataDir,
      intoDatabase: name,
      parallel: 2,
      beforeTable: async (table) => {
        started.push(table);
        if (started.length < backup.tables.length) return;
        // The last table to load holds its connection here; the other one adds audit.events' foreign key
        // meanwhile. A restore that adds foreign keys only after every table is loaded never gets there.
        await untilConstraint(urlFor(name), 'events_thing_id_fkey', `was not added while ${table} waited to load`);
      },
    });
    expect(started.slice(0, 2).sort()).toEqual(['audit.events', 'public.things']);
    expect(await dumpRows(urlFor(name))).toEqual(await dumpRows(db.url));
    expect(await schemaOf(urlFor(name))).toEqual(await schemaOf(db.url));
  });

  it('plans keys and indexes after the data and foreign keys after the keys', async () => {
    const ddl = renderRestoreDdl(await schemaOf(db.url));
    const pre = ddl.preData.join('\n');
    expect(pre).toContain('create table "public"."things"');
    expect(pre).not.toMatch(/PRIMARY KEY|UNIQUE|FOREIGN KEY|CREATE INDEX/);
    // Checks stay with the table (as pg_restore does): they are checked while rows load.
    expect(pre).toContain('CHECK ((length(note) < 100))');
    const builds = ddl.indexes.map((b) => b.statements[0]);
    // A plain key is built as its unique index (beside the table's other index builds), then made
    // the constraint with USING INDEX; adding a key by ALTER TABLE alone would lock its table alone.
    expect(ddl.indexes.find((b) => b.statements[0].startsWith('CREATE UNIQUE INDEX things_pkey '))).toEqual({
      table: '"public"."things"',
      statements: ['CREATE UNIQUE INDEX things_pkey ON public.things USING btree (id)', 'alter table "public"."things" add constraint "things_pkey" PRIMARY KEY USING INDEX "things_pkey"'],
      exclusive: false,
    });
    expect(ddl.indexes.filter((b) => b.statements.some((sql) => /^alter table .* (PRIMARY KEY|UNIQUE) \(/.test(sql))).every((b) => b.exclusive)).toBe(true);
    expect(builds).toEqual(expect.arrayContaining([expect.stringMatching(/^CREATE UNIQUE INDEX \S+ ON public.things USING btree \(ref\)$/), expect.stringMatching(/^CREATE INDEX things_label_idx/)]));
    expect(ddl.indexes.find((b) => b.statements[0].startsWith('CREATE INDEX things_label_idx'))).toMatchObject({ table: '"public"."things"', exclusive: false });
    // Foreign keys come after both their tables' keys (the scheduler adds each once both tables are loaded and keyed), not with the rest.
    expect(ddl.foreignKeys).toEqual([
      { table: '"audit"."events"', references: '"public"."things"', statements: [expect.stringMatching(/^alter table "audit"."events" add constraint "events_thing_id_fkey" FOREIGN KEY \(thing_id\) REFERENCES public.things\(id\)/)] },
    ]);
    expect(ddl.postData.join('\n')).not.toMatch(/PRIMARY KEY|FOREIGN KEY|CREATE INDEX things_label_idx/);
  });
});
