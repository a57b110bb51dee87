import { describe, expect, it } from 'vitest';
import { parseConnectionUrl } from './connection-url';

describe('parseConnectionUrl', () => {
  it('reads every part, decoding escapes', () => {
    const r = parseConnectionUrl('postgresql://ada%40corp:p%3Ass@db.example.com:6543/billing?sslmode=verify-full');
    expect(r).toEqual({ ok: true, fields: { host: 'db.example.com', port: '6543', user: 'ada@corp', password: 'p:ss', database: 'billing', sslMode: 'verify-full' } });
  });
  it('defaults the port and leaves unknown SSL modes empty', () => {
    const r = parseConnectionUrl('postgres://postgres@127.0.0.1/app?sslmode=weird');
    expect(r.ok && r.fields.port).toBe('5432');
    expect(r.ok && r.fields.sslMode).toBe('');
  });
  it('explains what is wrong with something that is not a postgres URL', () => {
    const r = parseConnectionUrl('mysql://x/y');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/postgres:\/\//);
  });
});
