import { describe, expect, it } from 'vitest';
import { findingsGate, lintFindings, noAcknowledgements, warningsKey, type PlanFinding, type PlanFindingContext } from './plan-findings';
import type { LintFinding } from '../../../shared/contract';

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

describe('lintFindings', () => {
  const finding = (rule: string, severity: 'error' | 'warning' | 'info', extra: Partial<LintFinding> = {}): LintFinding => ({
    migration: 'm1.js', statement: { index: 1, text: 'create index on orders (a)' }, rule, severity, table: 'orders', lock: 'ShareLock',
    rewrite: false, rows: 400000, bytes: 1, message: `${rule} message`, fix: 'fix it', suppressed: false, reason: null, ...extra,
  });
  const ctx = (production: boolean, findings: LintFinding[]) =>
    ({ production, dialog: { lint: { data: { findings }, loading: false, error: null } } }) as unknown as PlanFindingContext;
  const findings = [
    finding('index-not-concurrent', 'error'),
    finding('alter-column-type', 'error', { lock: 'AccessExclusiveLock', rewrite: true }),
    finding('drop-column', 'warning'),
    finding('whole-table-write', 'error', { suppressed: true, reason: 'frozen' }),
    finding('dry-run-failed', 'error'),
  ];

  it('on production each unsuppressed error needs its own acknowledgement and the warnings one tick', () => {
    const out = lintFindings(ctx(true, findings));
    expect(out.map((f) => [f.severity, f.title.split(' on ')[0]])).toEqual([
      ['error', 'Error · index-not-concurrent'],
      ['error', 'Error · alter-column-type'],
      ['warning', 'Warning · drop-column'],
      ['info', 'Suppressed Error · whole-table-write'],
    ]);
    expect(out[1].title).toContain('rewrites the table');
    expect(out[3].message).toContain('Suppressed: frozen');
    const [a, b] = out;
    const ticked = warningsKey(out);
    expect(findingsGate(out, { errors: new Set([a.key]), warningsTickedFor: ticked }).ready).toBe(false);
    expect(findingsGate(out, { errors: new Set([a.key, b.key]), warningsTickedFor: ticked }).ready).toBe(true);
  });

  it('elsewhere the errors join the warnings under the one tick', () => {
    const out = lintFindings(ctx(false, findings));
    expect(out.filter((f) => f.severity === 'error')).toEqual([]);
    expect(findingsGate(out, { errors: new Set(), warningsTickedFor: warningsKey(out) }).ready).toBe(true);
  });
});
