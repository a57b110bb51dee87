// Saved passwords: encrypted on disk, readable back, refused without a real keychain.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafeStorageSecrets } from './secret-store';

const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret' as const,
  encryptString: (text: string) => Buffer.from(`enc:${[...text].reverse().join('')}`),
  decryptString: (buffer: Buffer) => [...buffer.toString().slice(4)].reverse().join(''),
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepstone-secrets-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('safeStorage secrets', () => {
  it('stores passwords encrypted, owner-only, and reads them back', async () => {
    const file = join(dir, 'secrets.json');
    const secrets = createSafeStorageSecrets(file, safeStorage, 'linux');
    await Promise.all([secrets.set('a', 'hunter2'), secrets.set('b', 'correct horse')]);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text)).toEqual({ a: Buffer.from('enc:2retnuh').toString('base64'), b: expect.any(String) });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await secrets.get('a')).toBe('hunter2');
    expect(await secrets.get('b')).toBe('correct horse');
    await secrets.delete('a');
    expect(await secrets.get('a')).toBeUndefined();
    expect(await secrets.get('b')).toBe('correct horse');
  });

  it('refuses to save where only the basic_text fallback exists', async () => {
    const secrets = createSafeStorageSecrets(join(dir, 'weak.json'), { ...safeStorage, getSelectedStorageBackend: () => 'basic_text' as const }, 'linux');
    await expect(secrets.set('a', 'pw')).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
    const none = createSafeStorageSecrets(join(dir, 'none.json'), { ...safeStorage, isEncryptionAvailable: () => false }, 'darwin');
    await expect(none.set('a', 'pw')).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
    expect(await none.get('a')).toBeUndefined();
  });
});
