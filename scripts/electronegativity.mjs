// `npm run electronegativity` (CI): Doyensec's Electron security scanner over src/main and
// src/preload. It installs from the npm registry with no native build (pinned, run through
// `npm exec`, so it stays out of `npm ci`). Every HIGH or MEDIUM finding fails the run unless the
// reported line carries a comment `electronegativity: <CHECK_ID>` saying why it stands.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '1.10.3';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;

/** RFC 4180 CSV, as electronegativity writes it (quoted fields may hold commas and doubled quotes). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field.trim()), (field = '');
    else if (c === '\n') row.push(field.trim()), rows.push(row), (row = []), (field = '');
    else if (c !== '\r') field += c;
  }
  if (field || row.length) row.push(field.trim()), rows.push(row);
  return rows;
}

/** Is the finding explained by a comment naming its check on the reported line or the four above? */
function explained(sourceRoot, finding) {
  const lines = readFileSync(join(sourceRoot, finding.file), 'utf8').split('\n');
  const line = Number(finding.location.split(':')[0]);
  return lines.slice(Math.max(0, line - 5), line).some((l) => l.includes(`electronegativity: ${finding.check}`));
}

function main() {
  const scan = mkdtempSync(join(tmpdir(), 'stepstone-electronegativity-'));
  try {
    // The shipped shell only: tests and test kits create fake windows on purpose.
    for (const part of ['main', 'preload']) {
      cpSync(join(root, 'src', part), join(scan, 'src', part), { recursive: true, filter: (path) => !/\.(test|testkit)\.tsx?$/.test(path) });
    }
    const report = join(scan, 'report.csv');
    // AvailableSecurityFixesGlobalCheck fetches Electron's release list from GitHub; the version is pinned in package.json.
    execFileSync(
      'npm',
      ['exec', '--yes', `--package=@doyensec/electronegativity@${VERSION}`, '--', 'electronegativity', '-i', join(scan, 'src'), '-e', electronVersion, '-r', '-v', 'false', '-x', 'availablesecurityfixesglobalcheck', '-o', report],
      { cwd: scan, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const [header, ...rows] = parseCsv(readFileSync(report, 'utf8')).filter((r) => r.length > 1);
    const column = (name) => header.indexOf(name);
    const findings = rows.map((r) => ({ check: r[column('issue')], severity: r[column('severity')], confidence: r[column('confidence')], file: r[column('filename')], location: r[column('location')], description: r[column('description')] }));
    const blocking = [];
    for (const f of findings) {
      const serious = f.severity === 'HIGH' || f.severity === 'MEDIUM';
      const ok = !serious || explained(join(scan, 'src'), f);
      if (!ok) blocking.push(f);
      console.log(`${ok ? (serious ? 'explained' : 'low     ') : 'FAILS    '}  ${f.severity.padEnd(6)} ${f.check.padEnd(28)} src/${f.file}:${f.location}  ${f.description}`);
    }
    const count = (s) => findings.filter((f) => f.severity === s).length;
    console.log(`electronegativity ${VERSION} (Electron ${electronVersion}): ${count('HIGH')} high, ${count('MEDIUM')} medium, ${findings.length - count('HIGH') - count('MEDIUM')} other; ${blocking.length} unexplained high/medium.`);
    if (blocking.length > 0) {
      console.error('Fix them, or explain each with a comment `electronegativity: <CHECK_ID> — why` on the reported line or just above.');
      process.exitCode = 1;
    }
  } finally {
    rmSync(scan, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
