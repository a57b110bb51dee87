/**
 * What the service needs from the engine: the engine's façade itself. Its type is derived from
 * `createEngine`, never redeclared, so handlers, the real engine and every fake are checked
 * against the same signatures.
 */
import type { DbSession, Engine, SecretSource } from '../engine';

/** The engine as the service uses it (tests pass fakes of this type). */
export type EnginePort = Engine;

/** An open connection to a profile's database; the engine decides what is inside. */
export type DbHandle = DbSession;

/** Where passwords are looked up by profile id: typed this session (wins), or the shell's keychain. */
export type PasswordLookup = SecretSource & { session(profileId: string): string | undefined };
