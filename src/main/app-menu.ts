/** The application menu; File and View commands are sent to the renderer as `app:menu-invoked`. */
import { Menu, shell } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../shared/contract';

export interface MenuActions {
  command(command: MenuCommand): void;
  dataDir: string;
  isMac: boolean;
  isDev: boolean;
}

/** The menu template (separate from installing it, so it can be inspected). */
export function menuTemplate(actions: MenuActions): MenuItemConstructorOptions[] {
  const send = (command: MenuCommand) => () => actions.command(command);
  return [
    ...(actions.isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open project…', accelerator: 'CmdOrCtrl+O', click: send('open-project') },
        { label: 'New migration…', accelerator: 'CmdOrCtrl+N', click: send('new-migration') },
        { type: 'separator' },
        actions.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Timeline', accelerator: 'CmdOrCtrl+1', click: send('view-timeline') },
        { label: 'History', accelerator: 'CmdOrCtrl+2', click: send('view-history') },
        { label: 'Backups', accelerator: 'CmdOrCtrl+3', click: send('view-backups') },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(actions.isDev ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }] : []),
      ],
    },
    {
      role: 'help',
      submenu: [
        { label: 'Open data folder', click: () => void shell.openPath(actions.dataDir) },
        ...(actions.isMac ? [] : [{ role: 'about' as const }]),
      ],
    },
  ];
}

/** Install the menu for the app. */
export function installMenu(actions: MenuActions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(actions)));
}
