// The afterPack hook flips the release fuses in a binary that carries Electron's fuse wire, and
// skips (saying so) the packaging smoke test's stand-in executable.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const hook = require('../scripts/electron-fuses.cjs') as {
  afterPack(context: unknown, log?: (line: string) => void): Promise<{ flipped: boolean; binary: string }>;
  STAND_IN_MARKER: string;
};

// @electron/fuses's wire format: the sentinel, a version byte, a length byte, then one byte a fuse.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FuseState = { DISABLE: 48, ENABLE: 49 } as const; // '0' and '1'
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepstone-fuses-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function context(appOutDir: string) {
  return { appOutDir, electronPlatformName: 'linux', arch: 1, packager: { executableName: 'stepstone', appInfo: { productFilename: 'Stepstone' } } };
}

describe('afterPack fuses', () => {
  it('flips every fuse of a binary with the fuse wire to the release settings', async () => {
    const out = join(dir, 'real');
    await mkdir(out);
    // A binary shaped like Electron's: bytes, the sentinel, wire version 1, 8 fuses all at their defaults.
    const defaults: number[] = [FuseState.ENABLE, FuseState.DISABLE, FuseState.ENABLE, FuseState.ENABLE, FuseState.DISABLE, FuseState.DISABLE, FuseState.DISABLE, FuseState.ENABLE];
    await writeFile(join(out, 'stepstone'), Buffer.concat([Buffer.alloc(64, 7), Buffer.from(SENTINEL), Buffer.from([1, defaults.length, ...defaults]), Buffer.alloc(64, 9)]));
    const lines: string[] = [];
    await expect(hook.afterPack(context(out), (l) => lines.push(l))).resolves.toEqual({ flipped: true, binary: join(out, 'stepstone') });
    const wire = await getCurrentFuseWire(join(out, 'stepstone'));
    const state = (option: FuseV1Options) => (wire[option] === FuseState.ENABLE ? 'on' : wire[option] === FuseState.DISABLE ? 'off' : String(wire[option]));
    expect({
      RunAsNode: state(FuseV1Options.RunAsNode),
      EnableCookieEncryption: state(FuseV1Options.EnableCookieEncryption),
      EnableNodeOptionsEnvironmentVariable: state(FuseV1Options.EnableNodeOptionsEnvironmentVariable),
      EnableNodeCliInspectArguments: state(FuseV1Options.EnableNodeCliInspectArguments),
      EnableEmbeddedAsarIntegrityValidation: state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation),
      OnlyLoadAppFromAsar: state(FuseV1Options.OnlyLoadAppFromAsar),
      LoadBrowserProcessSpecificV8Snapshot: state(FuseV1Options.LoadBrowserProcessSpecificV8Snapshot),
      GrantFileProtocolExtraPrivileges: state(FuseV1Options.GrantFileProtocolExtraPrivileges),
    }).toEqual({
      RunAsNode: 'off',
      EnableCookieEncryption: 'on',
      EnableNodeOptionsEnvironmentVariable: 'off',
      EnableNodeCliInspectArguments: 'off',
      EnableEmbeddedAsarIntegrityValidation: 'on',
      OnlyLoadAppFromAsar: 'on',
      LoadBrowserProcessSpecificV8Snapshot: 'off',
      GrantFileProtocolExtraPrivileges: 'on',
    });
    expect(lines).toEqual([`  • fuses flipped in ${join(out, 'stepstone')}`]);
  });

  it('skips the packaging stand-in and says so, leaving it untouched', async () => {
    const out = join(dir, 'stand-in');
    await mkdir(out);
    const stub = `#!/bin/sh\n# ${hook.STAND_IN_MARKER}\nexit 1\n`;
    await writeFile(join(out, 'stepstone'), stub);
    const lines: string[] = [];
    await expect(hook.afterPack(context(out), (l) => lines.push(l))).resolves.toMatchObject({ flipped: false });
    expect(lines.join('\n')).toMatch(/fuses not flipped: .*stepstone is the packaging stand-in, not Electron/);
    expect(await readFile(join(out, 'stepstone'), 'utf8')).toBe(stub);
  });

  it('fails the build when a binary that is not the stand-in has no fuse wire', async () => {
    const out = join(dir, 'broken');
    await mkdir(out);
    await writeFile(join(out, 'stepstone'), Buffer.alloc(256, 1));
    await expect(hook.afterPack(context(out), () => {})).rejects.toThrow(/sentinel/i);
  });
});
