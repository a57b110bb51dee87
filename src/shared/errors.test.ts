import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorInfo } from './error-info';
import { ERROR_CODES, errorInfo } from './errors';

describe('errorInfo', () => {
  it('leaves empty details out, so the same error is the same value whoever makes it', () => {
    expect(errorInfo('LOCKED', 'Held.')).toEqual({ code: 'LOCKED', message: 'Held.' });
    expect(errorInfo('LOCKED', 'Held.', { hint: '', migration: undefined })).toEqual({ code: 'LOCKED', message: 'Held.' });
    expect(errorInfo('MIGRATION_FAILED', 'Boom.', { hint: 'Fix it.', migration: 'a.js' })).toEqual({ code: 'MIGRATION_FAILED', message: 'Boom.', hint: 'Fix it.', migration: 'a.js' });
  });

  it('makes values the contract accepts, and the contract refuses a code outside the list', () => {
    for (const code of ERROR_CODES) expect(ErrorInfo.safeParse(errorInfo(code, 'm')).success).toBe(true);
    expect(ErrorCode.options).toEqual([...ERROR_CODES]);
    expect(ErrorInfo.safeParse({ code: 'NOT_A_CODE', message: 'm' }).success).toBe(false);
  });
});
