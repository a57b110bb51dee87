/**
 * Adoption and generated migrations: whether to offer "Adopt it…", the baseline (previewed, then
 * written and stamped), and migrations generated from schema changes — previewed and kept here, then
 * written exactly as the user reviewed them (the renderer never sends a file's text or path).
 */
import { randomUUID } from 'node:crypto';
import type { GenerateResult } from '../shared/contract';
import { StepstoneError } from '../engine';
import type { HandlerMap, ServiceContext } from './handler-types';
import { requireWritable } from './production-guard';

/** Previews kept for writing; older ones fall out (a preview is meant to be written soon after). */
const KEEP_PREVIEWS = 20;

export function adoptHandlers({ engine, profiles }: ServiceContext) {
  const previews = new Map<string, { profileId: string; result: GenerateResult }>();

  return {
    'schema:adoption': async ({ profileId }) => profiles.withDatabase(profileId, 'adoption', (db) => engine.adoptionState(db)),

    'schema:baseline': async ({ profileId, name, force, preview, confirmation }) => {
      const profile = await profiles.require(profileId);
      if (!preview) requireWritable(profile, 'a baseline (it records a migration as applied)');
      return profiles.withDatabase(profileId, 'baseline', async (db, _profile, target) => {
        if (!preview) engine.requireConfirmation(target, confirmation, 'a baseline');
        return engine.baselineDatabase(db, { name, force, preview });
      });
    },

    'schema:generate': async ({ profileId, name, source, renames, force }) => {
      const result = await profiles.withDatabase(profileId, 'generate', (db) => engine.previewMigration(db, { name, source, renames, force }));
      if (result.status !== 'preview') return { ...result, previewId: null };
      const previewId = randomUUID();
      previews.set(previewId, { profileId, result });
      while (previews.size > KEEP_PREVIEWS) previews.delete(previews.keys().next().value as string);
      return { ...result, previewId };
    },

    'schema:write-migration': async ({ profileId, previewId }) => {
      const kept = previews.get(previewId);
      if (!kept || kept.profileId !== profileId) {
        throw new StepstoneError('INVALID_INPUT', 'That generated migration is no longer at hand.', { hint: 'Generate it again, then write it.' });
      }
      const written = await engine.writePreviewedMigration(kept.result);
      previews.delete(previewId);
      return written;
    },
  } satisfies HandlerMap;
}
