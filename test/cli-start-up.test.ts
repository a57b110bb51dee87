// What starting the CLI loads (issue 15): start-up is most of a short command's time, so code a
// command does not need stays unloaded. Checked on the bundle tests run (global-setup builds it).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './run-cli';

const BUNDLE = join(ROOT, 'dist', 'cli.cjs');

/** Node's own modules and the packages loaded, and `typeof navigator`, after `script` ran in a fresh process. */
function loadedAfter(script: string): { builtins: string[]; files: string[]; navigator: string } {
  const report = `console.log(JSON.stringify({ builtins: process.moduleLoadList, files: Object.keys(require.cache), navigator: typeof navigator }))`;
  const res = spawnSync(process.execPath, ['-e', `${script};\n${report}`], { cwd: ROOT, encoding: 'utf8' });
  expect(res.status, res.stderr).toBe(0);
  return JSON.parse(res.stdout);
}

describe('CLI start-up', () => {
  it("loads pg without Node's fetch (undici) and leaves the global navigator as Node has it", () => {
    const bare = loadedAfter('');
    const after = loadedAfter(`require(${JSON.stringify(BUNDLE)})`);
    expect(after.files.some((f) => f.includes(`${join('node_modules', 'pg', 'lib')}`))).toBe(true);
    expect(after.builtins.filter((m) => m.includes('undici'))).toEqual([]);
    expect(after.navigator).toBe(bare.navigator);
  });

  it("loads of the diff package only the array diff a schema diff's text uses, not all of it", () => {
    const { files } = loadedAfter(`require(${JSON.stringify(BUNDLE)})`);
    const diffFiles = files.filter((f) => f.includes(`${join('node_modules', 'diff')}`)).map((f) => f.split(`${join('node_modules', 'diff')}`)[1]);
    expect(diffFiles.sort()).toEqual([join('/libcjs/diff/array.js'), join('/libcjs/diff/base.js')].sort());
  });
});
