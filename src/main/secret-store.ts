/**
 * Passwords encrypted with Electron's safeStorage (the OS keychain's key), kept as base64 in
 * `<data folder>/secrets.json`. Never plain text: without a real keychain, saving refuses.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SafeStorage } from 'electron';
import { StepstoneError } from '../engine/errors';
import type { SecretStore } from '../service/service-deps';

type Encrypted = Record<string, string>;

/** A keychain-backed secret store in `file`. */
export function createSafeStorageSecrets(file: string, safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>, platform = process.platform): SecretStore {
  let writing: Promise<void> = Promise.resolve();

  async function load(): Promise<Encrypted> {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Encrypted;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new StepstoneError('CONFIG_INVALID', `The saved passwords file ${file} cannot be read.`, { hint: 'Delete it and enter the passwords again.', cause: error });
    }
  }

  async function store(values: Encrypted): Promise<void> {
    await mkdir(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(values, null, 2), { mode: 0o600 });
    await rename(temporary, file);
  }

  function change(update: (values: Encrypted) => void): Promise<void> {
    // Serialise read-modify-write so two saves cannot lose each other's entry.
    writing = writing.catch(() => {}).then(async () => {
      const values = await load();
      update(values);
      await store(values);
    });
    return writing;
  }

  function usable(): boolean {
    if (!safeStorage.isEncryptionAvailable()) return false;
    // On Linux without a keyring, safeStorage falls back to a hard-coded key: no better than plain text.
    return !(platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text');
  }

  return {
    async get(profileId) {
      const encrypted = (await load())[profileId];
      if (encrypted === undefined || !safeStorage.isEncryptionAvailable()) return undefined;
      try {
        return safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
      } catch {
        return undefined; // encrypted under another user or keychain: ask again
      }
    },
    async set(profileId, password) {
      if (!usable()) {
        throw new StepstoneError('PASSWORD_REQUIRED', 'No OS keychain is available to keep the password safely.', {
          hint: 'Choose "environment variable" or "ask each session" as the password source for this profile.',
        });
      }
      const encrypted = safeStorage.encryptString(password).toString('base64');
      await change((values) => {
        values[profileId] = encrypted;
      });
    },
    async delete(profileId) {
      await change((values) => {
        delete values[profileId];
      });
    },
  };
}
