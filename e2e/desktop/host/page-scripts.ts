/**
 * The two scripts the renderer host puts in every window's page, modelling Electron's renderer:
 *
 * - the preload world (an isolated world, as contextIsolation makes it): a sandboxed `require`
 *   that knows only 'electron' (`contextBridge`, `ipcRenderer`), then the built preload itself.
 *   `ipcRenderer` reaches the host through a CDP binding that exists in this world only.
 * - the main-world side of `contextBridge`: it defines on `window` exactly what the preload
 *   exposed, functions as proxies; values cross between the worlds as JSON in DOM events (the one
 *   thing two worlds share), as Electron copies them across.
 *
 * The functions below are serialised with `toString()` and run in the page: no closures, no imports.
 */

export interface PageScriptConfig {
  /** The CDP binding name (isolated world only). */
  binding: string;
  /** The isolated world's harness object name (the host calls into it). */
  harness: string;
  /** Prefix of the DOM event names between the worlds. */
  events: string;
  preloadPath: string | null;
}

/** Encoding of values crossing a boundary: JSON plus `undefined`, Errors, and functions by reference. */
export function makeCodec(register: ((fn: unknown) => number) | null, proxy: ((id: number) => unknown) | null) {
  type Encoded = { t: 'u' } | { t: 'v'; v: unknown } | { t: 'f'; id: number } | { t: 'e'; name: string; message: string } | { t: 'a'; v: Encoded[] } | { t: 'o'; v: Record<string, Encoded> };
  function encode(value: unknown, seen: unknown[] = []): Encoded {
    if (value === undefined) return { t: 'u' };
    if (typeof value === 'function') {
      if (!register) throw new TypeError('An object could not be cloned.');
      return { t: 'f', id: register(value) };
    }
    if (value === null || typeof value !== 'object') return { t: 'v', v: value };
    if (seen.indexOf(value) >= 0) throw new TypeError('An object could not be cloned (it refers to itself).');
    const next = seen.concat([value]);
    if (value instanceof Error) return { t: 'e', name: value.name, message: value.message };
    if (Array.isArray(value)) return { t: 'a', v: value.map((item) => encode(item, next)) };
    const out: Record<string, Encoded> = {};
    for (const key of Object.keys(value)) out[key] = encode((value as Record<string, unknown>)[key], next);
    return { t: 'o', v: out };
  }
  function decode(encoded: Encoded): unknown {
    switch (encoded.t) {
      case 'u':
        return undefined;
      case 'v':
        return encoded.v;
      case 'f':
        if (!proxy) throw new TypeError('A function cannot cross here.');
        return proxy(encoded.id);
      case 'e': {
        const error = new Error(encoded.message);
        error.name = encoded.name;
        return error;
      }
      case 'a':
        return encoded.v.map(decode);
      case 'o': {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(encoded.v)) out[key] = decode(encoded.v[key]);
        return out;
      }
    }
  }
  return { encode, decode };
}

/** The preload world: runs in the top frame's isolated world before any page script. */
function preloadWorld(config: PageScriptConfig, codecFactory: typeof makeCodec, runPreload: ((...args: unknown[]) => void) | null): void {
  // Electron runs preloads in the top frame only (nodeIntegrationInSubFrames is off).
  if (window.top !== window) return;
  const g = globalThis as unknown as Record<string, unknown>;
  const binding = g[config.binding] as (payload: string) => void;
  delete g[config.binding];
  const post = (message: unknown) => binding(JSON.stringify(message));
  const ipcCodec = codecFactory(null, null);

  // ipcRenderer
  const listeners: Record<string, Array<(...args: unknown[]) => void>> = {};
  const pending: Record<number, { resolve(value: unknown): void; reject(error: Error): void }> = {};
  let nextInvoke = 1;
  const ipcEvent = { sender: null as unknown, senderId: 0, ports: [] as unknown[] };
  const ipcRenderer = {
    invoke(channel: string, ...args: unknown[]): Promise<unknown> {
      const id = nextInvoke++;
      let encoded: unknown;
      try {
        encoded = args.map((arg) => ipcCodec.encode(arg));
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise((resolve, reject) => {
        pending[id] = { resolve, reject };
        post({ type: 'invoke', id, channel: String(channel), args: encoded });
      });
    },
    send(channel: string, ...args: unknown[]): void {
      post({ type: 'send', channel: String(channel), args: args.map((arg) => ipcCodec.encode(arg)) });
    },
    sendSync(): never {
      throw new Error('The Electron stand-in does not model ipcRenderer.sendSync.');
    },
    on(channel: string, listener: (...args: unknown[]) => void) {
      (listeners[channel] = listeners[channel] || []).push(listener);
      return ipcRenderer;
    },
    once(channel: string, listener: (...args: unknown[]) => void) {
      const wrapped = (...args: unknown[]) => {
        ipcRenderer.removeListener(channel, wrapped);
        listener(...args);
      };
      return ipcRenderer.on(channel, wrapped);
    },
    removeListener(channel: string, listener: (...args: unknown[]) => void) {
      listeners[channel] = (listeners[channel] || []).filter((l) => l !== listener);
      return ipcRenderer;
    },
    off(channel: string, listener: (...args: unknown[]) => void) {
      return ipcRenderer.removeListener(channel, listener);
    },
    removeAllListeners(channel?: string) {
      if (channel === undefined) for (const key of Object.keys(listeners)) delete listeners[key];
      else delete listeners[channel];
      return ipcRenderer;
    },
  };
  ipcEvent.sender = ipcRenderer;
  Object.defineProperty(g, config.harness, {
    enumerable: false,
    value: {
      settle(id: number, ok: boolean, encoded: never) {
        const waiter = pending[id];
        delete pending[id];
        if (!waiter) return;
        if (ok) waiter.resolve(ipcCodec.decode(encoded));
        else waiter.reject(new Error((encoded as { message: string }).message));
      },
      emit(channel: string, encodedArgs: never[]) {
        const args = encodedArgs.map((a) => ipcCodec.decode(a));
        for (const listener of (listeners[channel] || []).slice()) listener(ipcEvent, ...args);
      },
    },
  });

  // contextBridge: isolated-world functions by id, main-world callbacks as proxies.
  const doc = document;
  const fire = (name: string, detail: unknown) => doc.dispatchEvent(new CustomEvent(config.events + name, { detail: JSON.stringify(detail) }));
  const functions: Record<number, (...args: unknown[]) => unknown> = {};
  let nextFunction = 1;
  const bridgeCodec = codecFactory(
    (fn) => {
      const id = nextFunction++;
      functions[id] = fn as (...args: unknown[]) => unknown;
      return id;
    },
    (id) =>
      (...args: unknown[]) => {
        fire(':callback', { fnId: id, args: args.map((a) => bridgeCodec.encode(a)) });
      },
  );
  const exposures: Array<{ key: string; api: unknown }> = [];
  doc.addEventListener(config.events + ':call', (event) => {
    const message = JSON.parse((event as CustomEvent<string>).detail) as { callId: number; fnId: number; args: never[] };
    const fn = functions[message.fnId];
    let result: unknown;
    try {
      if (!fn) throw new Error('This function is no longer available.');
      result = fn(...message.args.map((a) => bridgeCodec.decode(a)));
    } catch (error) {
      fire(':return', { callId: message.callId, kind: 'throw', error: { message: String((error as Error)?.message ?? error) } });
      return;
    }
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      fire(':return', { callId: message.callId, kind: 'promise' });
      (result as Promise<unknown>).then(
        (value) => fire(':settle', { callId: message.callId, ok: true, value: bridgeCodec.encode(value) }),
        (error) => fire(':settle', { callId: message.callId, ok: false, error: { message: String((error as Error)?.message ?? error) } }),
      );
    } else {
      fire(':return', { callId: message.callId, kind: 'value', value: bridgeCodec.encode(result) });
    }
  });
  const announce = (exposure: { key: string; api: unknown }) => fire(':expose', { key: exposure.key, value: bridgeCodec.encode(exposure.api) });
  // The main-world side may start after this world: it says hello, and hears every exposure again.
  doc.addEventListener(config.events + ':hello', () => exposures.forEach(announce));
  const contextBridge = {
    exposeInMainWorld(key: string, api: unknown) {
      if (typeof key !== 'string' || key === '') throw new TypeError('exposeInMainWorld needs a key');
      if (exposures.some((e) => e.key === key)) throw new Error(`Cannot bind an API on top of an existing property on the window object (${key})`);
      const exposure = { key, api };
      exposures.push(exposure);
      const shape = (value: unknown): unknown =>
        typeof value === 'function' ? 'function' : value && typeof value === 'object' ? Object.fromEntries(Object.keys(value).map((k) => [k, shape((value as Record<string, unknown>)[k])])) : typeof value;
      post({ type: 'exposed', key, shape: shape(api) });
      announce(exposure);
    },
    exposeInIsolatedWorld() {
      throw new Error('The Electron stand-in does not model contextBridge.exposeInIsolatedWorld.');
    },
  };

  // Keys the page leaves unhandled reach the application menu (Electron on Linux and Windows).
  window.addEventListener(
    'keydown',
    (event) => {
      if (['Control', 'Shift', 'Alt', 'Meta', 'AltGraph'].indexOf(event.key) >= 0) return;
      if (!(event.ctrlKey || event.altKey || event.metaKey || /^F\d+$/.test(event.key))) return;
      // After every listener of the page ran: a key the page handled (preventDefault) stops there.
      setTimeout(() => {
        post({ type: 'key', handledByPage: event.defaultPrevented, key: event.key, code: event.code, ctrlKey: event.ctrlKey, shiftKey: event.shiftKey, altKey: event.altKey, metaKey: event.metaKey });
      }, 0);
    },
    true,
  );

  if (!runPreload) return;
  const electron: Record<string, unknown> = { contextBridge, ipcRenderer };
  const electronModule = new Proxy(electron, {
    get(target, name) {
      if (typeof name !== 'string' || name in target) return target[name as string];
      if (name === '__esModule' || name === 'default' || name === 'then') return undefined;
      throw new Error('The Electron stand-in does not model electron.' + name + ' in a preload.');
    },
  });
  // A sandboxed preload's require: Electron offers 'electron' (and a few Node polyfills) only.
  const sandboxedRequire = (id: string) => {
    if (id === 'electron' || id === 'electron/renderer') return electronModule;
    throw new Error(`module not found: ${id} (a sandboxed preload can only require 'electron'; bundle everything else)`);
  };
  const sandboxedProcess = { platform: 'linux', type: 'renderer', sandboxed: true, contextIsolated: true, env: {}, argv: [], versions: { electron: '45.4.1' } };
  const module = { exports: {} as Record<string, unknown> };
  try {
    const path = config.preloadPath as string;
    runPreload(module.exports, sandboxedRequire, module, path, path.slice(0, path.lastIndexOf('/')), sandboxedProcess);
  } catch (error) {
    post({ type: 'preload-error', message: String((error as Error)?.stack ?? error) });
    // Electron reports a failing preload in the console and carries on loading the page.
    console.error('Unable to load preload script: ' + config.preloadPath, error);
  }
}

/** The main world's half of contextBridge: it defines what the preload exposed, and nothing else. */
function mainWorldBridge(config: PageScriptConfig, codecFactory: typeof makeCodec): void {
  // Keep our own references: page scripts that run later cannot redirect the bridge.
  const doc = document;
  const dispatch = EventTarget.prototype.dispatchEvent;
  const listen = EventTarget.prototype.addEventListener;
  const Custom = CustomEvent;
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const defineProperty = Object.defineProperty;
  const freeze = Object.freeze;
  const PromiseCtor = Promise;
  const fire = (name: string, detail: unknown) => dispatch.call(doc, new Custom(config.events + name, { detail: stringify(detail) }));
  const callbacks: Record<number, (...args: unknown[]) => unknown> = {};
  let nextCallback = 1;
  let nextCall = 1;
  const returns: Record<number, { kind: string; value?: never; error?: { message: string } }> = {};
  const pending: Record<number, { resolve(value: unknown): void; reject(error: Error): void }> = {};
  const codec = codecFactory(
    (fn) => {
      const id = nextCallback++;
      callbacks[id] = fn as (...args: unknown[]) => unknown;
      return id;
    },
    (fnId) =>
      function (...args: unknown[]) {
        const callId = nextCall++;
        fire(':call', { callId, fnId, args: args.map((a) => codec.encode(a)) });
        const answer = returns[callId];
        delete returns[callId];
        if (!answer) throw new Error('The preload did not answer.');
        if (answer.kind === 'throw') throw new Error(answer.error!.message);
        if (answer.kind === 'promise') return new PromiseCtor((resolve, reject) => (pending[callId] = { resolve, reject }));
        return codec.decode(answer.value!);
      },
  );
  listen.call(doc, config.events + ':return', (event) => {
    const message = parse((event as CustomEvent<string>).detail);
    returns[message.callId] = message;
  });
  listen.call(doc, config.events + ':settle', (event) => {
    const message = parse((event as CustomEvent<string>).detail);
    const waiter = pending[message.callId];
    delete pending[message.callId];
    if (!waiter) return;
    if (message.ok) waiter.resolve(codec.decode(message.value));
    else waiter.reject(new Error(message.error.message));
  });
  listen.call(doc, config.events + ':callback', (event) => {
    const message = parse((event as CustomEvent<string>).detail);
    const fn = callbacks[message.fnId];
    if (fn) fn(...message.args.map((a: never) => codec.decode(a)));
  });
  listen.call(doc, config.events + ':expose', (event) => {
    const message = parse((event as CustomEvent<string>).detail);
    if (Object.prototype.hasOwnProperty.call(window, message.key)) return;
    const deepFreeze = (value: unknown): unknown => {
      if (value && typeof value === 'object') for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
      return value && typeof value === 'object' ? freeze(value) : value;
    };
    defineProperty(window, message.key, { value: deepFreeze(codec.decode(message.value)), enumerable: true, configurable: false, writable: false });
  });
  fire(':hello', {});
}

/** The isolated world's script for a window: harness, sandboxed require, then the preload's code. */
export function preloadWorldScript(config: PageScriptConfig, preloadSource: string | null): string {
  const preload = preloadSource === null ? 'null' : `function (exports, require, module, __filename, __dirname, process) {\n${preloadSource}\n}`;
  return `(${preloadWorld.toString()})(${JSON.stringify(config)}, ${makeCodec.toString()}, ${preload});`;
}

/** The main world's script: the receiving half of contextBridge. */
export function mainWorldScript(config: PageScriptConfig): string {
  return `(${mainWorldBridge.toString()})(${JSON.stringify(config)}, ${makeCodec.toString()});`;
}
