/** `app:*`: what the shell is and which profile to open first. */
import type { HandlerMap, ServiceContext } from './handler-types';

/** Handlers of the app domain. */
export function appHandlers({ deps, profiles }: ServiceContext) {
  return {
    'app:info': async () => ({
      mode: deps.mode,
      version: deps.version,
      dataDir: deps.dataDir,
      initialProfileId: profiles.initialProfileId,
      canPickFolders: deps.pickFolder !== undefined,
      canOpenEditor: deps.openInEditor !== undefined,
      canShowInFolder: deps.showInFolder !== undefined,
    }),
  } satisfies HandlerMap;
}
