import { describe, expect, it } from 'vitest';
import { findingsGate, noAcknowledgements, warningsKey, type PlanFinding } from './plan-findings';

const error = (key: string, overridable = true): PlanFinding => ({ key, severity: 'error', source: 'lint', title: key, overridable });
const warning = (key: string): PlanFinding => ({ key, severity: 'warning', source: 'drift', title: key, overridable: true });

describe('findingsGate', () => {
  it('needs each overridable error acknowledged on its own', () => {
    const findings = [error('a'), error('b')];
    expect(findingsGate(findings, noAcknowledgements)).toMatchObject({ ready: false, reason: 'Acknowledge 2 errors first' });
    expect(findingsGate(findings, { errors: new Set(['a']), warningsTickedFor: null }).ready).toBe(false);
    expect(findingsGate(findings, { errors: new Set(['a', 'b']), warningsTickedFor: null }).ready).toBe(true);
  });

  it('never passes a non-overridable error', () => {
    expect(findingsGate([error('a', false)], { errors: new Set(['a']), warningsTickedFor: null })).toMatchObject({ ready: false, reason: 'Blocked: a' });
  });

  it('takes one tick for all warnings, and a new warning needs a new tick', () => {
    const two = [warning('w1'), warning('w2')];
    expect(findingsGate(two, noAcknowledgements).ready).toBe(false);
    const ticked = { errors: new Set<string>(), warningsTickedFor: warningsKey(two) };
    expect(findingsGate(two, ticked).ready).toBe(true);
    expect(findingsGate([...two, warning('w3')], ticked).ready).toBe(false);
  });

  it('lets information through without a tick', () => {
    expect(findingsGate([{ key: 'i', severity: 'info', source: 'plan', title: 'i', overridable: true }], noAcknowledgements).ready).toBe(true);
  });
});
