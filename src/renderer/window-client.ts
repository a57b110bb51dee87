/**
 * The window's client, made first thing (the entry imports this module before React and the app):
 * in web mode the page names the profile whose status the server reads while the page loads, and
 * that status is asked for at once, before the app's code has even been evaluated, so its answer is
 * travelling (and parsed) while the app starts. The app's own first status call takes it.
 */
import { askAhead, firstStatusProfileOf } from './api/asked-ahead';
import { createClient } from './api/create-client';

let unauthorised = () => {};
/** Who hears that web mode rejected the session (the store, once made). */
export function onUnauthorised(listener: () => void): void {
  unauthorised = listener;
}

const base = createClient(() => unauthorised());
const firstStatus = typeof window !== 'undefined' && !window.stepstone ? firstStatusProfileOf(document) : null;

export const client = firstStatus ? askAhead(base, 'migrations:status', { profileId: firstStatus }) : base;
