/**
 * The contract's implementation, transport-free: `dispatch(channel, rawRequest)` checks the
 * channel, validates the request with its zod schema, runs the handler and maps any thrown
 * error once to `ErrorInfo`. It never throws, so IPC and HTTP can pass its Result through as is.
 */
import { contract, isChannel } from '../shared/contract';
import type { Channel, Result } from '../shared/contract';
import { toErrorInfo } from '../engine';
import { appHandlers } from './app-handlers';
import { backupHandlers } from './backup-handlers';
import { describeIssues } from './describe-issues';
import type { CompleteHandlers, Handler, ServiceContext } from './handler-types';
import { historyHandlers } from './history-handlers';
import { lockHandlers } from './lock-handlers';
import { migrationHandlers } from './migration-handlers';
import { profileHandlers } from './profile-handlers';
import { createDatabaseSessions } from './database-sessions';
import { createProfileAccess } from './profile-access';
import { projectHandlers } from './project-handlers';
import { createRunRegistry } from './run-registry';
import { createFolderWatchers } from './folder-watchers';
import { schemaHandlers } from './schema-handlers';
import { safetyHandlers } from './safety-handlers';
import { adoptHandlers } from './adopt-handlers';
import type { DispatchContext, ServiceDeps } from './service-deps';
import { errorInfo } from '../shared/errors';

export interface Service {
  /** Handle one call; always resolves to a Result. */
  dispatch(channel: string, rawRequest: unknown, ctx?: DispatchContext): Promise<Result<unknown>>;
  /** Abort running plans and close kept-open databases (the shell is closing). */
  shutdown(): Promise<void>;
}

/** Build the service for one shell. */
export function createService(deps: ServiceDeps): Service {
  const engine = deps.engine;
  const sessions = createDatabaseSessions(engine);
  const context: ServiceContext = {
    deps,
    engine,
    profiles: createProfileAccess(deps, engine, sessions),
    runs: createRunRegistry(),
    sessions,
    watchers: createFolderWatchers(engine, deps.emit),
  };
  const handlers: CompleteHandlers = {
    ...appHandlers(context),
    ...profileHandlers(context),
    ...projectHandlers(context),
    ...migrationHandlers(context),
    ...historyHandlers(context),
    ...lockHandlers(context),
    ...backupHandlers(context),
    ...schemaHandlers(context),
    ...safetyHandlers(context),
    ...adoptHandlers(context),
  };
  const logError = deps.logError ?? ((message: string, error: unknown) => console.error(message, error));

  return {
    async dispatch(channel, rawRequest, ctx = { transport: 'test' }) {
      if (!isChannel(channel)) {
        return { ok: false, error: errorInfo('INVALID_INPUT', `Unknown channel "${String(channel)}".`, { hint: 'Use one of the channels of src/shared/contract.ts.' }) };
      }
      try {
        const parsed = contract[channel].request.safeParse(rawRequest ?? {});
        if (!parsed.success) {
          return { ok: false, error: errorInfo('INVALID_INPUT', `Invalid request for ${channel}: ${describeIssues(parsed.error.issues)}.`) };
        }
        const handler = handlers[channel] as Handler<Channel>;
        return { ok: true, value: await handler(parsed.data as never, ctx) };
      } catch (error) {
        const info = toErrorInfo(error);
        if (info.code === 'INTERNAL') logError(`Stepstone: ${channel} failed unexpectedly (${ctx.transport}).`, error);
        return { ok: false, error: info };
      }
    },
    async shutdown() {
      context.runs.cancelAll();
      context.watchers.closeAll();
      await sessions.closeAll();
    },
  };
}
