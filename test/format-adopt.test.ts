// The verification lines of baseline/stamp/generate as people read them.
import { describe, expect, it } from 'vitest';
import { verificationText } from '../src/cli/format-adopt';

const plain = (lines: string[]) => lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''));

describe('verificationText', () => {
  it('a down that refuses by design (an enum value added) says so, not that it matches the previous schema', () => {
    const lines = plain(verificationText({
      ok: true, shadow: 'temporary database s', notes: [], upAgain: null,
      up: { status: 'matches', differences: [], error: null },
      down: { status: 'irreversible', differences: [], error: 'PostgreSQL cannot drop a value from an enum' },
    }, 'the previous schema'));
    expect(lines[1]).toBe('  up       ✓ matches the desired schema');
    expect(lines[2]).toBe('  down     refuses by design (see Warnings): it throws instead of reverting');
  });

  it('a down that matches names what it was compared with', () => {
    const lines = plain(verificationText({
      ok: true, shadow: 's', notes: [], upAgain: null,
      up: { status: 'matches', differences: [], error: null },
      down: { status: 'matches', differences: [], error: null },
    }, 'the previous schema'));
    expect(lines[2]).toBe('  down     ✓ matches the previous schema');
  });
});
