/** Entry: pick the transport, build the store, render, and load the first profile. */
// First: the client, and in web mode the first status asked at once (see window-client).
import { client, onUnauthorised } from './window-client';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createAppStore } from './store/app-store';
import { AppStoreProvider } from './store/store-context';
import './styles/theme.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/timeline.css';
import './styles/checks.css';
import './styles/adopt.css';
import './styles/repair.css';
import { applyTheme } from './features/shell/theme-preference';
import { warmUpFormatters } from './format/format';
import { loadHighlighter } from './components/CodeView';

applyTheme(); // before the first render: no flash of the other theme

const store = createAppStore(client);
onUnauthorised(() => store.getState().markUnauthorised());

/** How long the first render waits for the app's info before it shows the shell without it. */
const FIRST_RENDER_WAIT_MS = 150;

// The first render waits for the app's info (a few ms): by then the first profile's requests, the
// timeline's status among them, are on their way, and the whole shell renders while they travel.
// Rendered at once, the empty shell's render and layout held up the info's answer, and so the
// status was asked only after them. Until then there is nothing to show.
const root = createRoot(document.getElementById('root')!);
let rendered = false;
const renderApp = () => {
  if (rendered) return;
  rendered = true;
  unsubscribe();
  clearTimeout(timer);
  root.render(
    <StrictMode>
      <AppStoreProvider store={store}>
        <App />
      </AppStoreProvider>
    </StrictMode>,
  );
};
const unsubscribe = store.subscribe((s) => {
  if (s.info !== null || s.fatal !== null || s.unauthorised) queueMicrotask(renderApp);
});
const timer = setTimeout(renderApp, FIRST_RENDER_WAIT_MS);
void store.getState().init();
// Code the first screen does not need, loaded once it is up (while the user reads it).
const unsubscribeReady = store.subscribe((s) => {
  if (!s.ready) return;
  unsubscribeReady();
  const later = typeof requestIdleCallback === 'function' ? requestIdleCallback : (fn: () => void) => setTimeout(fn, 200);
  later(() => void loadHighlighter());
});
// The first rows' times (and the "checked" time) need Intl's locale data, whose first use costs
// 30-160 ms. The page's first script loads it in a worker (public/intl-warm-up.js); where it could
// not start one (or, being async, has not run yet), it is loaded here, while the first answers travel.
if (document.documentElement.dataset.intlWarmUp !== 'worker') warmUpFormatters();
