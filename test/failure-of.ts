// The StepstoneError a promise rejects with; fails the test if it resolves or rejects with anything else.
import { expect } from 'vitest';
import { StepstoneError } from '../src/engine/errors';

export async function failureOf(promise: Promise<unknown>): Promise<StepstoneError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(StepstoneError);
    return error as StepstoneError;
  }
  throw new Error('expected a failure');
}
