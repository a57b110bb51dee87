/**
 * `Menu` for the stand-in: the template is recorded (and sent to the host without its functions),
 * and an item can be clicked by its label path or reached by an accelerator the page left
 * unhandled, the way Electron's menu gets keys on Linux and Windows.
 */
import type { KeyPress, RecordedMenuItem } from './protocol';
import type { MainState } from './main-state';

interface TemplateItem {
  label?: string;
  role?: string;
  type?: string;
  accelerator?: string;
  enabled?: boolean;
  visible?: boolean;
  click?: (item: unknown, window: unknown, event: unknown) => void;
  submenu?: TemplateItem[] | StandInMenu;
}

/** Labels Electron gives role items, for paths and the recorded template. */
const ROLE_LABELS: Record<string, string> = {
  appMenu: 'App',
  fileMenu: 'File',
  editMenu: 'Edit',
  viewMenu: 'View',
  windowMenu: 'Window',
  help: 'Help',
  quit: 'Quit',
  close: 'Close Window',
  about: 'About',
  reload: 'Reload',
  toggleDevTools: 'Toggle Developer Tools',
  resetZoom: 'Actual Size',
  zoomIn: 'Zoom In',
  zoomOut: 'Zoom Out',
  togglefullscreen: 'Toggle Full Screen',
};

/** Default accelerators of role items (Linux). */
const ROLE_ACCELERATORS: Record<string, string> = {
  quit: 'CommandOrControl+Q',
  close: 'CommandOrControl+W',
  reload: 'CommandOrControl+R',
  toggleDevTools: 'Control+Shift+I',
  resetZoom: 'CommandOrControl+0',
  zoomIn: 'CommandOrControl+Plus',
  zoomOut: 'CommandOrControl+-',
  togglefullscreen: 'F11',
};

export class StandInMenu {
  constructor(readonly items: TemplateItem[]) {}
}

export interface MenuModule {
  Menu: {
    buildFromTemplate(template: TemplateItem[]): StandInMenu;
    setApplicationMenu(menu: StandInMenu | null): void;
    getApplicationMenu(): StandInMenu | null;
  };
  /** Click the item at this label path; throws naming what exists when there is no such item. */
  click(path: string[]): string;
  /** Click the item whose accelerator matches this key press, if any. */
  press(key: KeyPress): string | null;
}

export function createMenu(state: MainState, focusedWindow: () => unknown, performRole: (role: string) => void): MenuModule {
  let applicationMenu: StandInMenu | null = null;

  const labelOf = (item: TemplateItem) => item.label ?? (item.role ? (ROLE_LABELS[item.role] ?? item.role) : undefined);
  const submenuOf = (item: TemplateItem) => (item.submenu instanceof StandInMenu ? item.submenu.items : item.submenu);
  const acceleratorOf = (item: TemplateItem) => item.accelerator ?? (item.role ? ROLE_ACCELERATORS[item.role] : undefined);

  function record(items: TemplateItem[]): RecordedMenuItem[] {
    return items.map((item) => {
      const submenu = submenuOf(item);
      return {
        label: labelOf(item),
        role: item.role,
        type: item.type,
        accelerator: acceleratorOf(item),
        enabled: item.enabled !== false,
        visible: item.visible !== false,
        clickable: typeof item.click === 'function' || (item.role !== undefined && submenu === undefined),
        ...(submenu ? { submenu: record(submenu) } : {}),
      };
    });
  }

  function activate(item: TemplateItem, name: string): string {
    if (item.enabled === false) throw new Error(`The menu item "${name}" is disabled.`);
    state.records.menuClicks.push(name);
    if (typeof item.click === 'function') item.click(item, focusedWindow(), { triggeredByAccelerator: false });
    else if (item.role) performRole(item.role);
    return name;
  }

  function find(items: TemplateItem[], path: string[]): TemplateItem | undefined {
    const [head, ...rest] = path;
    const item = items.find((i) => labelOf(i) === head);
    if (!item || rest.length === 0) return item;
    const submenu = submenuOf(item);
    return submenu ? find(submenu, rest) : undefined;
  }

  function* walk(items: TemplateItem[], prefix: string[] = []): Generator<{ item: TemplateItem; path: string[] }> {
    for (const item of items) {
      const path = [...prefix, labelOf(item) ?? '?'];
      const submenu = submenuOf(item);
      if (submenu) yield* walk(submenu, path);
      else yield { item, path };
    }
  }

  return {
    Menu: {
      buildFromTemplate(template) {
        return new StandInMenu(template);
      },
      setApplicationMenu(menu) {
        applicationMenu = menu;
        state.link.notify('menu.set', { template: menu ? record(menu.items) : null });
      },
      getApplicationMenu() {
        return applicationMenu;
      },
    },
    click(path) {
      if (!applicationMenu) throw new Error('The app set no application menu.');
      const item = find(applicationMenu.items, path);
      if (!item) {
        const known = [...walk(applicationMenu.items)].map((e) => e.path.join(' › '));
        throw new Error(`No menu item ${path.join(' › ')}; the menu has: ${known.join(', ')}`);
      }
      return activate(item, path.join(' › '));
    },
    press(key) {
      if (!applicationMenu) return null;
      for (const { item, path } of walk(applicationMenu.items)) {
        const accelerator = acceleratorOf(item);
        if (accelerator && item.visible !== false && item.enabled !== false && matches(accelerator, key)) return activate(item, path.join(' › '));
      }
      return null;
    },
  };
}

/** Does an Electron accelerator ("CmdOrCtrl+Shift+O") match this key press on Linux? */
export function matches(accelerator: string, key: KeyPress): boolean {
  const parts = accelerator.split('+').filter(Boolean);
  // "CommandOrControl+Plus" and "Ctrl++" both end in the plus key.
  const last = accelerator.endsWith('++') ? '+' : parts.pop()!;
  const want = { ctrlKey: false, shiftKey: false, altKey: false, metaKey: false };
  for (const modifier of parts.map((p) => p.toLowerCase())) {
    if (['cmdorctrl', 'commandorcontrol', 'ctrl', 'control'].includes(modifier)) want.ctrlKey = true;
    else if (modifier === 'shift') want.shiftKey = true;
    else if (['alt', 'option', 'altgr'].includes(modifier)) want.altKey = true;
    else if (['super', 'meta', 'cmd', 'command'].includes(modifier)) want.metaKey = true;
    else return false;
  }
  if (want.ctrlKey !== key.ctrlKey || want.altKey !== key.altKey || want.metaKey !== key.metaKey) return false;
  const name = last.toLowerCase() === 'plus' ? '+' : last;
  if (name === '+' || name === '-') return key.key === name;
  if (want.shiftKey !== key.shiftKey) return false;
  if (/^[a-z]$/i.test(name)) return key.code === `Key${name.toUpperCase()}`;
  if (/^[0-9]$/.test(name)) return key.code === `Digit${name}`;
  return key.key.toLowerCase() === name.toLowerCase();
}
