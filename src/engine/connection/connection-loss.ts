/**
 * A connection the server (or the network) closed under a running operation: pg_terminate_backend,
 * a server shutdown or crash, a session timeout, a reset socket. Told apart from a statement's own
 * failure so the run reports it in plain words and cleans up on a fresh connection.
 */
import { StepstoneError, messageOf } from '../errors';

/** SQLSTATEs with which the server ends a session, and what they mean to a user. */
const SERVER_ENDED: Record<string, string> = {
  '57P01': 'terminated by an administrator',
  '57P02': 'the server restarted after another server process crashed',
  '57P05': "the server's idle_session_timeout ended the session",
  '25P03': "the server's idle_in_transaction_session_timeout ended the session",
};

const GENERIC = 'the connection was lost';

/** Driver messages (pg, knex) for a socket that went away. */
const DRIVER_LOST = /Connection terminated|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|Connection ended unexpectedly|ECONNRESET|EPIPE|socket hang up/i;

/** Why the connection was lost, in plain words; null when `error` is not a lost connection. */
export function connectionLossReason(error: unknown): string | null {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (code in SERVER_ENDED) return SERVER_ENDED[code];
      if (code === '57P00' || code === '57P04') return 'the server is shutting down';
      if (code.startsWith('08')) return GENERIC;
      if (code === 'ECONNRESET' || code === 'EPIPE') return 'the connection was reset';
      if (code === 'CONNECTION_LOST') return null; // already described
    }
    if (/terminating connection due to administrator command/i.test(messageOf(e))) return SERVER_ENDED['57P01'];
    if (DRIVER_LOST.test(messageOf(e))) return GENERIC;
  }
  return null;
}

/** True when `error` says the connection it ran on is gone. */
export function isConnectionLoss(error: unknown): boolean {
  return connectionLossReason(error) !== null;
}

/** CONNECTION_LOST: "The server closed the connection during <migration, or what>: <why>". */
export function connectionLostError(error: unknown, during: { migration: string } | { operation: string }): StepstoneError {
  const reason = connectionLossReason(error) ?? messageOf(error);
  const what = 'migration' in during ? during.migration : `the ${during.operation}`;
  return new StepstoneError('CONNECTION_LOST', `The server closed the connection during ${what}: ${reason}`, {
    hint: 'Check with `stepstone status` what is applied, then run the command again.',
    migration: 'migration' in during ? during.migration : undefined,
    cause: error,
  });
}

/**
 * Run `work`; when its connection turns out to be gone, run it again: Knex's pool drops a dead
 * connection when it is next acquired and opens a new one. Several tries, as every pooled
 * connection may have been terminated at once.
 */
export async function retryOnConnectionLoss<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isConnectionLoss(error)) throw error;
    }
  }
}

/**
 * Of a lost connection's errors, the one that says why: a query failing on a closed socket only
 * knows "Connection terminated", while the session's own 'error' event carried the server's reason.
 */
export function explainLoss(error: unknown, sessionErrors: unknown[]): unknown {
  if (connectionLossReason(error) !== GENERIC) return error;
  return sessionErrors.find((e) => e !== undefined && connectionLossReason(e) !== null && connectionLossReason(e) !== GENERIC) ?? error;
}
