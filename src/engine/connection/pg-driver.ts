/**
 * The `pg` module: every `pg` the engine loads comes from here, so that loading it on Node 20 does
 * not load Node's fetch too (pg-navigator.ts says why; its body must run before pg loads, hence the
 * import order below).
 */
import { forgetNavigator } from './pg-navigator';
import pg from 'pg';

forgetNavigator();

export default pg;
