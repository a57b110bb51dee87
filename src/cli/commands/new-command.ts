/** `stepstone new <name>` and `stepstone init [folder]`. */
import { StepstoneError } from '../../engine';
import { cliEngine } from '../cli-engine';
import { printJson, printLine } from '../output';
import type { ParsedCommand } from '../parse-args';
import { resolveCliMigrations } from '../resolve-cli-target';

export async function newCommand({ positionals, options }: ParsedCommand): Promise<number> {
  const name = positionals.join(' ').trim();
  if (!name) throw new StepstoneError('INVALID_INPUT', 'Name the migration: stepstone new <name>.', { hint: 'e.g. stepstone new add_email_to_users' });
  if (options.language && !['js', 'ts'].includes(options.language)) throw new StepstoneError('INVALID_INPUT', '--language must be ts or js.');
  // Without --js or --language, the knexfile's migrations.extension decides (else TypeScript).
  const language = options.js || options.language === 'js' ? 'js' : options.language === 'ts' ? 'ts' : undefined;
  const engine = cliEngine();
  const settings = await resolveCliMigrations(engine, options);
  const created = await engine.createMigration(settings, name, language ? { language } : {});
  if (options.json) printJson(created);
  else printLine(`Created ${created.path}`);
  return 0;
}

export async function initCommand({ positionals, options }: ParsedCommand): Promise<number> {
  const result = await cliEngine().initProject(positionals[0] ?? process.cwd());
  if (options.json) printJson(result);
  else printLine(`Created ${result.created.join(' and ')}`);
  return 0;
}
