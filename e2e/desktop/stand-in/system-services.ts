/**
 * The stand-in's `safeStorage` (real AES-256-GCM under a key the test keeps, like an OS keychain),
 * `dialog` (answers scripted by the test, every call recorded) and `shell` (recorded, never
 * opening anything on the machine).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DialogMethod } from './protocol';
import type { MainState } from './main-state';

// Chromium's OSCrypt prefixes its Linux ciphertexts with a version tag; so does the stand-in.
const PREFIX = Buffer.from('v11');

export function createSafeStorage(state: MainState) {
  const key = Buffer.from(state.facts.keychainKey, 'hex');
  let available = true;
  let backend = 'gnome_libsecret';

  function requireAvailable(): void {
    if (!available) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
  }

  const safeStorage = {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    isAsyncEncryptionAvailable: () => Promise.resolve(available),
    encryptString(plainText: string): Buffer {
      requireAvailable();
      if (typeof plainText !== 'string') throw new TypeError('safeStorage.encryptString needs a string');
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      const out = Buffer.concat([PREFIX, iv, cipher.getAuthTag(), body]);
      state.records.safeStorage.push({ method: 'encryptString', bytes: out.length });
      return out;
    },
    decryptString(encrypted: Buffer): string {
      requireAvailable();
      const text = decrypt(key, encrypted);
      state.records.safeStorage.push({ method: 'decryptString', bytes: encrypted.length });
      return text;
    },
    setUsePlainTextEncryption() {
      state.notModelled('safeStorage.setUsePlainTextEncryption');
    },
  };

  return {
    safeStorage,
    configure(options: { available?: boolean; backend?: string }) {
      if (options.available !== undefined) available = options.available;
      if (options.backend !== undefined) backend = options.backend;
    },
    /** For the test: read what the app stored, proving it was encrypted under the keychain key. */
    decrypt: (base64: string) => decrypt(key, Buffer.from(base64, 'base64')),
  };
}

function decrypt(key: Buffer, encrypted: Buffer): string {
  if (!Buffer.isBuffer(encrypted) || !encrypted.subarray(0, 3).equals(PREFIX)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
  const iv = encrypted.subarray(3, 15);
  const tag = encrypted.subarray(15, 31);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8');
}

/** Default answers when a dialog opens with nothing scripted: the user cancelled. */
const CANCELLED: Record<DialogMethod, unknown> = {
  showOpenDialog: { canceled: true, filePaths: [] },
  showSaveDialog: { canceled: true, filePath: '' },
  showMessageBox: { response: 0, checkboxChecked: false },
};

export function createDialogs(state: MainState) {
  const scripted: Record<DialogMethod, unknown[]> = { showOpenDialog: [], showSaveDialog: [], showMessageBox: [] };

  function answer(method: DialogMethod, args: unknown[]): Promise<unknown> {
    // Electron's dialogs take an optional parent window first.
    const options = args.length > 1 ? args[1] : args[0];
    const next = scripted[method].shift();
    const result = next ?? CANCELLED[method];
    state.records.dialogs.push({ method, options: JSON.parse(JSON.stringify(options ?? null)), answer: result, scripted: next !== undefined });
    return Promise.resolve(result);
  }

  return {
    dialog: {
      showOpenDialog: (...args: unknown[]) => answer('showOpenDialog', args),
      showSaveDialog: (...args: unknown[]) => answer('showSaveDialog', args),
      showMessageBox: (...args: unknown[]) => answer('showMessageBox', args),
      showErrorBox: (title: string, content: string) => {
        state.records.dialogs.push({ method: 'showMessageBox', options: { title, content, type: 'error' }, answer: null, scripted: false });
      },
      showOpenDialogSync: () => state.notModelled('dialog.showOpenDialogSync'),
      showSaveDialogSync: () => state.notModelled('dialog.showSaveDialogSync'),
      showMessageBoxSync: () => state.notModelled('dialog.showMessageBoxSync'),
    },
    script(method: DialogMethod, answers: unknown[]) {
      scripted[method].push(...answers);
    },
  };
}

export function createShell(state: MainState) {
  const note = (method: string, arg: string) => state.records.shell.push({ method, arg });
  return {
    async openExternal(url: string) {
      note('openExternal', url);
    },
    async openPath(path: string) {
      note('openPath', path);
      return '';
    },
    showItemInFolder(path: string) {
      note('showItemInFolder', path);
    },
    async trashItem(path: string) {
      note('trashItem', path);
    },
    beep() {
      note('beep', '');
    },
  };
}
