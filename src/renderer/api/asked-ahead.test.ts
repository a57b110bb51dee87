import { describe, expect, it } from 'vitest';
import type { Client } from '../../shared/contract';
import { ASKED_AHEAD_TTL_MS, askAhead, firstStatusProfileOf } from './asked-ahead';

function countingClient() {
  const calls: Array<{ channel: string; request: unknown }> = [];
  const client: Client = {
    invoke: async (channel, request) => {
      calls.push({ channel, request });
      return { ok: true, value: { answer: calls.length } } as never;
    },
    subscribe: () => () => {},
  };
  return { client, calls };
}

describe('askAhead', () => {
  it('asks at once and answers the first identical call with that answer, later ones as usual', async () => {
    const { client, calls } = countingClient();
    const ahead = askAhead(client, 'migrations:status', { profileId: 'cli' });
    expect(calls).toEqual([{ channel: 'migrations:status', request: { profileId: 'cli' } }]);
    // Another profile's status and another channel go through; the answer asked ahead stays.
    expect(await ahead.invoke('migrations:status', { profileId: 'other' })).toEqual({ ok: true, value: { answer: 2 } });
    expect(await ahead.invoke('app:info', {})).toEqual({ ok: true, value: { answer: 3 } });
    expect(await ahead.invoke('migrations:status', { profileId: 'cli' })).toEqual({ ok: true, value: { answer: 1 } });
    expect(calls).toHaveLength(3);
    // Taken once: the next identical call asks again.
    expect(await ahead.invoke('migrations:status', { profileId: 'cli' })).toEqual({ ok: true, value: { answer: 4 } });
  });

  it('asks again when the answer has waited longer than its time to live', async () => {
    const { client, calls } = countingClient();
    let clock = 0;
    const ahead = askAhead(client, 'migrations:status', { profileId: 'cli' }, () => clock);
    clock = ASKED_AHEAD_TTL_MS + 1;
    expect(await ahead.invoke('migrations:status', { profileId: 'cli' })).toEqual({ ok: true, value: { answer: 2 } });
    expect(calls).toHaveLength(2);
  });
});

describe('firstStatusProfileOf', () => {
  const doc = (content: string | null) =>
    ({ querySelector: (selector: string) => (selector === 'meta[name="stepstone-first-status"]' && content !== null ? { content } : null) }) as never;

  it("reads the profile web mode names in the page's head", () => {
    expect(firstStatusProfileOf(doc('command-line'))).toBe('command-line');
    expect(firstStatusProfileOf(doc(null))).toBeNull();
    expect(firstStatusProfileOf(doc(''))).toBeNull();
    expect(firstStatusProfileOf(undefined)).toBeNull();
  });
});
