/**
 * Build of the three Electron parts. The renderer output (out/renderer) is also what web mode serves,
 * so it must work from any origin with relative asset paths and a strict CSP (no inline code).
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { CONTENT_SECURITY_POLICY_META } from './src/shared/content-security-policy';

/** The shared CSP as the built page's first `<meta>` (dev relies on the main process's relaxed header). */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'stepstone-content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY_META }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(__dirname, 'src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can only require 'electron': bundle everything else into it.
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    base: './',
    plugins: [react(), contentSecurityPolicyMeta()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // Minified: the window (and web mode's first screen) parses and runs less before it can paint.
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
