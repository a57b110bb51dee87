/** The shape of channel handlers and the context they share. */
import type { Channel, ParsedRequestOf, ResponseOf } from '../shared/contract';
import type { DatabaseSessions } from './database-sessions';
import type { EnginePort } from './engine-port';
import type { ProfileAccess } from './profile-access';
import type { RunRegistry } from './run-registry';
import type { FolderWatchers } from './folder-watchers';
import type { DispatchContext, ServiceDeps } from './service-deps';

/** Everything a handler may use; built once per service. */
export interface ServiceContext {
  deps: ServiceDeps;
  engine: EnginePort;
  profiles: ProfileAccess;
  runs: RunRegistry;
  watchers: FolderWatchers;
  sessions: DatabaseSessions;
}

/** One channel's handler: gets the validated request, returns the response or throws a StepstoneError. */
export type Handler<C extends Channel> = (request: ParsedRequestOf<C>, ctx: DispatchContext) => Promise<ResponseOf<C>>;

/** Handlers for some channels (one domain's file). */
export type HandlerMap = { [C in Channel]?: Handler<C> };

/** Handlers for every channel: what createService assembles. */
export type CompleteHandlers = { [C in Channel]: Handler<C> };
