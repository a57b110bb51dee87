import { describe, expect, it } from 'vitest';
import type { Profile } from '../../shared/profile';
import { isStepstoneError } from '../errors';
import { confirmationFor, requireConfirmation } from './confirmation';

function target(environment: Profile['environment'], url = 'postgres://postgres@db.internal:5432/shop'): { profile: Profile } {
  return {
    profile: {
      id: 'p', name: 'Shop', environment, kind: 'postgres', url, passwordSource: 'none',
      migrations: { directories: ['/m'], tableName: 'knex_migrations' }, transactionMode: 'knex', backupBeforeMigrate: true, readOnly: false,
    },
  };
}

function refusal(run: () => void) {
  try {
    run();
  } catch (error) {
    if (isStepstoneError(error)) return { code: error.code, message: error.message, hint: error.hint };
    throw error;
  }
  return null;
}

describe('the confirmation rule', () => {
  it('asks production for its database name, every other environment for a click', () => {
    expect(confirmationFor(target('production'))).toEqual({ kind: 'typed-name', name: 'shop' });
    expect(confirmationFor(target('production', 'postgres://postgres@/billing?host=/var/run/postgresql'))).toEqual({ kind: 'typed-name', name: 'billing' });
    for (const environment of ['local', 'development', 'staging'] as const) expect(confirmationFor(target(environment))).toEqual({ kind: 'click' });
  });

  it('lets through exactly what it asked for', () => {
    expect(refusal(() => requireConfirmation(target('production'), 'shop', 'a restore'))).toBeNull();
    expect(refusal(() => requireConfirmation(target('staging'), undefined, 'a restore'))).toBeNull();
    expect(refusal(() => requireConfirmation(target('production'), undefined, 'a restore'))).toEqual({
      code: 'CONFIRMATION_REQUIRED',
      message: '"Shop" is a production profile: a restore needs the database name typed to confirm.',
      hint: 'Type shop exactly to confirm.',
    });
    for (const wrong of ['Shop', ' shop', 'sho', '']) {
      expect(refusal(() => requireConfirmation(target('production'), wrong, 'an upgrade'))).toMatchObject({ code: 'CONFIRMATION_REQUIRED', hint: 'Type shop exactly to confirm.' });
    }
  });
});
