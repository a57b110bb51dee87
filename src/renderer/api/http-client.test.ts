import { describe, expect, it, vi } from 'vitest';
import type { AppEvent } from '../../shared/contract';
import { createHttpClient } from './http-client';

function fakeFetch(status: number, body: unknown, seen: { url?: string; init?: RequestInit } = {}) {
  return (async (url: string, init: RequestInit) => {
    seen.url = url;
    seen.init = init;
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as unknown as typeof fetch;
}

class FakeEventSource {
  onmessage: ((m: MessageEvent<string>) => void) | null = null;
  closed = false;
  constructor(public url: string) {}
  close() {
    this.closed = true;
  }
  emit(data: string) {
    this.onmessage?.({ data } as MessageEvent<string>);
  }
}

describe('createHttpClient', () => {
  it('POSTs the request as JSON to /api/<channel> with the session cookie and returns the Result', async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    const client = createHttpClient({ fetch: fakeFetch(200, { ok: true, value: { deleted: true } }, seen) });
    const result = await client.invoke('profiles:delete', { profileId: 'p1' });
    expect(result).toEqual({ ok: true, value: { deleted: true } });
    expect(seen.url).toBe('/api/profiles:delete');
    expect(seen.init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{"profileId":"p1"}' });
  });

  it('turns 401 into an UNAUTHORISED error and tells the app once per call', async () => {
    let told = 0;
    const client = createHttpClient({ fetch: fakeFetch(401, 'no'), onUnauthorised: () => told++ });
    const result = await client.invoke('app:info', {});
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('UNAUTHORISED');
    expect(told).toBe(1);
  });

  it('explains an unreadable answer and an unreachable server in plain words', async () => {
    const bad = await createHttpClient({ fetch: fakeFetch(500, '<html>') }).invoke('app:info', {});
    expect(!bad.ok && bad.error.message).toMatch(/HTTP 500/);
    const down = await createHttpClient({
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as unknown as typeof fetch,
    }).invoke('app:info', {});
    expect(!down.ok && down.error.code).toBe('SERVER_UNREACHABLE');
  });

  it('delivers valid server-sent events to subscribers, drops invalid ones, closes when the last one leaves', async () => {
    let source: FakeEventSource | undefined;
    const client = createHttpClient({ openEvents: (url) => (source = new FakeEventSource(url)) as unknown as EventSource });
    const got: AppEvent[] = [];
    const off = client.subscribe((e) => got.push(e));
    expect(source?.url).toBe('/api/events');
    source!.emit(JSON.stringify({ type: 'backups:progressed', runId: 'r', message: 'dumping' }));
    source!.emit('not json');
    source!.emit(JSON.stringify({ type: 'unknown' }));
    source!.emit(JSON.stringify({ type: 'backups:progressed', runId: 'r', message: 'done' }));
    // Validated (the schema loads with the first event), in the order they arrived.
    await vi.waitFor(() => expect(got).toHaveLength(2));
    expect(got).toEqual([
      { type: 'backups:progressed', runId: 'r', message: 'dumping' },
      { type: 'backups:progressed', runId: 'r', message: 'done' },
    ]);
    off();
    expect(source!.closed).toBe(true);
  });
});
