/** Entry: pick the transport, build the store, render, and load the first profile. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createClient } from './api/create-client';
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

applyTheme(); // before the first render: no flash of the other theme

let markUnauthorised = () => {};
const client = createClient(() => markUnauthorised());
const store = createAppStore(client);
markUnauthorised = () => store.getState().markUnauthorised();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppStoreProvider store={store}>
      <App />
    </AppStoreProvider>
  </StrictMode>,
);
void store.getState().init();
