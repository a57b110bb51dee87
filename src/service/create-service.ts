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
  /**
   * The window is loading: start the status of the profile it will open first when that is a
   * server's (the initial profile, given on the command line), so it is read while the page's code loads. The first
   * `migrations:status` call for that profile within a few seconds takes this answer instead of
   * reading again; any call that may change something drops it. Returns that answer (null when
   * nothing is read ahead), for a transport to prepare it (web mode encodes it once, then).
   */
  prefetchStatus(): Promise<Result<unknown>> | null;
  /** The profile `prefetchStatus` reads (null: none), for a page to ask for its status first thing. */
  prefetchProfileId(): string | null;
}

/** How long a prefetched status waits for the window's first status call. */
const PREFETCH_TTL_MS = 10_000;

/** Calls that change nothing a status shows: a prefetched status stays good across them. */
const READ_ONLY_CHANNELS = new Set<Channel>([
  'app:info',
  'profiles:list',
  'profiles:test',
  'migrations:status',
  'migrations:files',
  'migrations:plan',
  'migrations:source',
  'migrations:dry-run',
  'migrations:sql',
  'migrations:watch',
  'history:list',
  'history:evidence',
  'migrations:evidence',
  'backups:list',
  'backups:leftovers',
  'schema:drift',
  'migrations:lint',
  'migrations:rollback-checks',
  'schema:adoption',
  'environments:compare',
]);

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

  let prefetched: { profileId: string; at: number; result: Promise<Result<unknown>> } | null = null;

  const service: Service = {
    async dispatch(channel, rawRequest, ctx = { transport: 'test' }) {
      if (prefetched && (!isChannel(channel) || !READ_ONLY_CHANNELS.has(channel) || Date.now() - prefetched.at > PREFETCH_TTL_MS)) prefetched = null;
      if (prefetched && channel === 'migrations:status' && (rawRequest as { profileId?: unknown } | null)?.profileId === prefetched.profileId) {
        const { result } = prefetched;
        prefetched = null;
        return result;
      }
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
      prefetched = null;
      context.runs.cancelAll();
      context.watchers.closeAll();
      await sessions.closeAll();
    },
    prefetchProfileId() {
      // Only a server's status: the embedded database's first start (seconds of PGlite work)
      // would hold up the very page it is for, and its folder listing needs no database anyway.
      const profile = context.profiles.initialProfile;
      return profile && profile.kind === 'postgres' ? profile.id : null;
    },
    prefetchStatus() {
      const profile = context.profiles.initialProfile;
      if (!profile || service.prefetchProfileId() !== profile.id) return null;
      if (prefetched?.profileId === profile.id && Date.now() - prefetched.at <= PREFETCH_TTL_MS) return prefetched.result;
      const result = service.dispatch('migrations:status', { profileId: profile.id }, { transport: 'prefetch' });
      prefetched = { profileId: profile.id, at: Date.now(), result };
      return result;
    },
  };
  return service;
}
