/** `projects:open`: a folder with a knexfile; each of its environments becomes a saved profile. */
import { StepstoneError } from '../engine';
import type { HandlerMap, ServiceContext } from './handler-types';

/** Handlers of the projects domain. */
export function projectHandlers({ deps, engine, profiles }: ServiceContext) {
  return {
    'projects:open': async ({ folder: given }) => {
      let folder = given;
      if (folder === undefined) {
        if (!deps.pickFolder) {
          throw new StepstoneError('INVALID_INPUT', 'No project folder was given.', {
            hint: 'Type the path of the folder that holds the knexfile.',
          });
        }
        folder = (await deps.pickFolder()) ?? undefined;
        if (folder === undefined) return { knexfile: null, profiles: [], warnings: [] }; // the user closed the dialog
      }
      const { knexfile, profiles: found, warnings } = await engine.openProject(folder);
      const saved = [];
      for (const profile of found) saved.push(await engine.saveProfile(deps.dataDir, profile));
      // The warnings go to the user with the profiles: an environment left out or one that cannot connect yet is said, not dropped.
      return { knexfile, profiles: await Promise.all(saved.map((p) => profiles.view(p))), warnings };
    },
  } satisfies HandlerMap;
}
