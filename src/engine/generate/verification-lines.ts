/** The header lines of a generated file that say how it was proved (or that it was written anyway). */
import type { Verification } from '../../shared/adopt';

export function verificationLines(v: Verification, options: { forced: boolean; unsupported?: readonly string[]; kind: 'baseline' | 'generate' }): string[] {
  const lines: string[] = [];
  const unsupported = options.unsupported ?? [];
  if (v.ok) {
    lines.push(
      options.kind === 'baseline'
        ? 'Verified on a shadow database: up gives the live schema, down leaves the database empty, up again gives it again.'
        : `Verified on a shadow database: up gives the desired schema; ${v.down.status === 'irreversible' ? 'down refuses by design (see above)' : 'down gives the previous schema'}.`,
    );
  } else {
    lines.push(options.forced ? 'NOT VERIFIED — written with --force. Verification on a shadow database found:' : 'Verification on a shadow database found:');
    for (const [label, check] of [
      ['up', v.up],
      ['down', v.down],
      ['up again', v.upAgain],
    ] as const) {
      if (!check || check.status === 'matches' || check.status === 'not-run') continue;
      if (check.error) lines.push(`  ${label} failed: ${check.error}`);
      for (const d of check.differences) lines.push(`  ${label}: ${d}`);
    }
  }
  if (unsupported.length) {
    lines.push(`${options.forced ? 'NOT REPRODUCED — written with --force' : 'Not reproduced'} (introspection cannot capture these):`);
    lines.push(...unsupported.map((u) => `  - ${u}`));
  }
  lines.push(...v.notes.map((n) => `Note: ${n}`));
  return lines;
}
