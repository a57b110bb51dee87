/**
 * The promotion guard: upgrading a production database of a project that has a staging
 * environment (in the same knexfile) checks that staging applied each migration of the plan from
 * the same file (checksum). Missing ones are a warning in the plan (which, and when staging last
 * ran); with `"requireStaging": true` in the project's stepstone.json they refuse the upgrade.
 */
import type { Plan, PromotionCheck } from '../../shared/plan';
import type { Profile } from '../../shared/profile';
import type { ConnectionTarget } from '../connection/connection-target';
import { StepstoneError } from '../errors';
import { openProject } from '../project/open-project';
import { resolveKnexfileTarget } from '../project/knexfile-target';
import { readProjectSettings } from '../settings/project-settings';
import { readEnvironment } from './read-environment';
import { errorInfo } from '../../shared/errors';

/** The staging profile of the production profile's project, if it has one. */
async function stagingProfileOf(profile: Profile): Promise<Profile | null> {
  if (!profile.source) return null;
  const project = await openProject(profile.source.knexfile);
  return project.profiles.find((p) => p.environment === 'staging' && p.source?.env !== profile.source?.env) ?? null;
}

/** What staging lacks for `plan`; null when the guard does not apply (not production, not an upgrade, no staging). */
export async function checkPromotion(target: ConnectionTarget, plan: Plan): Promise<PromotionCheck | null> {
  const { profile } = target;
  if (profile.environment !== 'production' || plan.direction !== 'up' || plan.steps.length === 0 || !profile.source) return null;
  const staging = await stagingProfileOf(profile);
  if (!staging) return null;
  const { requireStaging: required } = await readProjectSettings(profile.source.knexfile);
  let stagingTarget: ConnectionTarget;
  try {
    stagingTarget = await resolveKnexfileTarget(staging);
  } catch (error) {
    const info = error instanceof StepstoneError ? errorInfo(error.code, error.message, { hint: error.hint }) : errorInfo('CONFIG_INVALID', String(error));
    return { staging: { label: staging.source!.env, database: staging.database ?? null, lastRun: null }, missing: plan.steps.map((s) => ({ name: s.name, reason: 'not-applied' as const })), unreachable: info, required };
  }
  const { side } = await readEnvironment(staging.source!.env, stagingTarget, { withSchema: false });
  const applied = new Map(side.applied.map((m) => [m.name, m]));
  const missing: PromotionCheck['missing'] = side.reachable
    ? plan.steps.flatMap((step): PromotionCheck['missing'] => {
        const there = applied.get(step.name);
        if (!there) return [{ name: step.name, reason: 'not-applied' as const }];
        if (there.checksum === null) return [{ name: step.name, reason: 'unknown-checksum' as const }];
        return there.checksum === step.checksum ? [] : [{ name: step.name, reason: 'different-checksum' as const }];
      })
    : plan.steps.map((s) => ({ name: s.name, reason: 'not-applied' as const }));
  return { staging: { label: side.label, database: side.database, lastRun: side.lastRun }, missing, unreachable: side.reachable ? null : side.error, required };
}

const REASONS: Record<PromotionCheck['missing'][number]['reason'], string> = {
  'not-applied': 'not applied',
  'different-checksum': 'applied from a different file',
  'unknown-checksum': 'applied by another tool (no checksum to compare)',
};

/** The plan warning for a check with missing migrations. */
export function promotionWarning(check: PromotionCheck): string {
  const last = check.staging.lastRun ? `staging last ran ${check.staging.lastRun.operation} at ${check.staging.lastRun.startedAt} (${check.staging.lastRun.outcome})` : 'no Stepstone run recorded on staging';
  if (check.unreachable) return `Staging (${check.staging.label}) could not be read, so nothing shows these migrations ran there: ${check.unreachable.message}`;
  const list = check.missing.map((m) => `${m.name} (${REASONS[m.reason]})`).join(', ');
  return `Not yet on staging (${check.staging.label}${check.staging.database ? `, ${check.staging.database}` : ''}): ${list}; ${last}.`;
}

/** Adds the guard's finding to a production upgrade plan, or refuses it when the project requires staging. */
export async function guardPromotion(target: ConnectionTarget, plan: Plan): Promise<Plan> {
  const check = await checkPromotion(target, plan);
  if (!check) return plan;
  if (check.missing.length === 0 && !check.unreachable) return { ...plan, promotion: check };
  if (check.required) {
    throw new StepstoneError('STAGING_REQUIRED', `Refused: staging has not applied ${check.missing.map((m) => m.name).join(', ')} from the same file${check.unreachable ? ` (staging could not be read: ${check.unreachable.message})` : ''}.`, {
      hint: `This project's stepstone.json sets "requireStaging": true. Upgrade staging (${check.staging.label}) first, then production.`,
    });
  }
  return { ...plan, promotion: check, warnings: [...plan.warnings, promotionWarning(check)] };
}
