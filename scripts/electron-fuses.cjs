// electron-builder afterPack hook: flip Electron's fuses in the packaged binary, right before signing.
// The packaging smoke test (test/package-smoke.test.ts) packs with a stand-in executable instead of
// Electron; that binary has no fuse wire, so it is skipped, and the build log says so.
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } = require('@electron/fuses');

/** Text the packaging stand-in's executable carries, so a real Electron binary is never skipped. */
const STAND_IN_MARKER = 'stepstone-electron-stand-in';

/** The fuses of a Stepstone build. Every fuse this @electron/fuses knows is set, none inherited. */
const FUSES = {
  version: FuseVersion.V1,
  // No `ELECTRON_RUN_AS_NODE`: the app binary never runs arbitrary scripts as Node.
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  // No NODE_OPTIONS and no --inspect: nothing outside the package injects code into the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // app.asar must match the hash recorded at build time (macOS and Windows; Linux has no check yet).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // Only app.asar, never a loose app/ folder beside it.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // Kept on: the window loads out/renderer from file://, whose module scripts need these privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: true,
};

/** The packaged executable electron-builder wrote (as its own addElectronFuses finds it). */
function electronBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const extension = { darwin: '.app', mas: '.app', win32: '.exe', linux: '' }[electronPlatformName] ?? '';
  const name = electronPlatformName === 'linux' ? packager.executableName : packager.appInfo.productFilename;
  return join(appOutDir, `${name}${extension}`);
}

/** Is this the packaging stand-in rather than Electron? (A .app bundle never is.) */
function isStandIn(binary) {
  return !binary.endsWith('.app') && existsSync(binary) && readFileSync(binary).includes(STAND_IN_MARKER);
}

async function afterPack(context, log = console.log) {
  const binary = electronBinary(context);
  if (isStandIn(binary)) {
    log(`  • fuses not flipped: ${binary} is the packaging stand-in, not Electron (a build with Electron's binary flips them)`);
    return { flipped: false, binary };
  }
  // macOS arm64 (and universal) binaries must be re-signed ad hoc after their bytes change (Arch 3, 4).
  const resetAdHocDarwinSignature = context.electronPlatformName === 'darwin' && (context.arch === 3 || context.arch === 4);
  await flipFuses(binary, { ...FUSES, resetAdHocDarwinSignature });
  const wire = await getCurrentFuseWire(binary);
  for (const [option, enabled] of Object.entries(FUSES)) {
    if (option === 'version') continue;
    const want = enabled ? 49 : 48; // FuseState.ENABLE / DISABLE
    if (wire[option] !== want) throw new Error(`Fuse ${FuseV1Options[option]} is not ${enabled ? 'on' : 'off'} in ${binary} after flipping.`);
  }
  log(`  • fuses flipped in ${binary}`);
  return { flipped: true, binary };
}

module.exports = { default: afterPack, afterPack, FUSES, STAND_IN_MARKER, electronBinary };
