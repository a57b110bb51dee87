import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverUrl } from '../../../test/database';
import { qualify, quoteIdent, quoteIdentIfNeeded, quoteLiteral } from './sql-quoting';

const AWKWARD = ['plain', "it's", 'back\\slash', "both ' and \\", 'a"b', 'ünï\u00e9', '', '\\\\', "''"];
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
});

describe('sql-quoting', () => {
  it('literals read back as written, whatever standard_conforming_strings says', async () => {
    for (const conforming of ['on', 'off']) {
      await client.query(`set standard_conforming_strings = ${conforming}`);
      for (const value of AWKWARD) {
        const { rows } = await client.query(`select ${quoteLiteral(value)}::text as v`);
        expect(rows[0].v, `${value} with standard_conforming_strings ${conforming}`).toBe(value);
      }
    }
    await client.query('reset standard_conforming_strings');
    expect(quoteLiteral('a\\b')).toBe("E'a\\\\b'");
    expect(quoteLiteral("it's")).toBe("'it''s'");
  });

  it('identifiers name exactly the object, a quote and a backslash included', async () => {
    const names = AWKWARD.filter((n) => n !== '');
    const { rows } = await client.query(`select ${names.map((n, i) => `1 as ${quoteIdent(n)}`).join(', ')}`);
    expect(Object.keys(rows[0]).sort()).toEqual([...names].sort());
    expect(qualify('o"ps', 't\\')).toBe('"o""ps"."t\\"');
    expect(quoteIdentIfNeeded('users')).toBe('users');
    expect(quoteIdentIfNeeded('Users')).toBe('"Users"');
  });
});
