/** The main window as a user sees it: header actions, view tabs, and the app's ready/busy signals. */
import { expect, type Locator, type Page } from '@playwright/test';
import { TimelinePanel } from './timeline-panel';
import { PlanDialog } from './plan-dialog';
import { RunDialog } from './run-dialog';
import { HistoryPanel } from './history-panel';
import { ChecksTab } from './checks-tab';
import { RollbackTestDialog } from './rollback-test-dialog';
import { AdoptDialog } from './adopt-dialog';
import { GenerateDialog } from './generate-dialog';
import { EnvironmentsView } from './environments-view';

export class AppPage {
  readonly timeline: TimelinePanel;
  readonly plan: PlanDialog;
  readonly run: RunDialog;
  readonly history: HistoryPanel;
  readonly checks: ChecksTab;
  readonly rollbackTest: RollbackTestDialog;
  readonly adopt: AdoptDialog;
  readonly generate: GenerateDialog;
  readonly environments: EnvironmentsView;

  constructor(readonly page: Page) {
    this.adopt = new AdoptDialog(page);
    this.generate = new GenerateDialog(page);
    this.environments = new EnvironmentsView(page);
    this.checks = new ChecksTab(page);
    this.rollbackTest = new RollbackTestDialog(page);
    this.timeline = new TimelinePanel(page);
    this.plan = new PlanDialog(page);
    this.run = new RunDialog(page);
    this.history = new HistoryPanel(page);
  }

  /** The status bar (a footer labelled "Status"): database, server, head, lock. */
  get statusBar(): Locator {
    return this.page.getByLabel('Status', { exact: true });
  }

  /** "checked 10 s ago": when the status was last read. */
  get refreshedWhen(): Locator {
    return this.page.locator('.refresh-when');
  }

  /** The Refresh control beside the view tabs. */
  get refreshButton(): Locator {
    return this.page.getByRole('button', { name: '↻ Refresh' });
  }

  /** The connections list (a navigation landmark): its own Add connection and Open project… buttons. */
  get connections(): Locator {
    return this.page.getByRole('navigation', { name: 'Connections' });
  }

  /** The welcome shown on a first run (it has its own Add connection and Open project…). */
  get welcome(): Locator {
    return this.page.getByRole('region', { name: 'Welcome' });
  }

  /** "Add connection" under the connections list, whether or not the welcome is showing. */
  get addConnectionButton(): Locator {
    return this.connections.getByRole('button', { name: 'Add connection', exact: true });
  }

  button(name: string): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  /** The "Timeline", "History" or "Backups" tab. */
  tab(name: 'Timeline' | 'History' | 'Backups' | 'Environments'): Locator {
    return this.page.getByRole('tab', { name: new RegExp(`^${name}\\b`) });
  }

  async showView(name: 'Timeline' | 'History' | 'Backups' | 'Environments'): Promise<void> {
    await this.tab(name).click();
    await expect(this.tab(name)).toHaveAttribute('aria-selected', 'true');
  }

  /** Wait until no run is in progress (`data-busy` gone) and the status is loaded. */
  async waitIdle(): Promise<void> {
    await this.page.waitForFunction(() => document.body.dataset.busy === undefined && document.body.dataset.ready === 'true');
  }

  /** Header "Upgrade" → plan dialog → confirm → run dialog done → Close. */
  async upgradeAll(expectedSteps: number): Promise<void> {
    await this.button('Upgrade').click();
    await this.plan.confirmWithoutWaiting(`Upgrade ${expectedSteps} migration${expectedSteps === 1 ? '' : 's'}`);
    await this.run.expectDone();
    await this.run.close();
  }
}
