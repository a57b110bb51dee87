/** The Add/Edit connection dialog, its fields found by their labels. */
import { expect, type Locator, type Page } from '@playwright/test';

export interface ConnectionFields {
  name: string;
  environment?: 'local' | 'development' | 'staging' | 'production';
  host: string;
  port: string;
  user: string;
  database: string;
  migrationsFolder: string;
  transactionMode?: 'knex' | 'per-migration';
  /** Typed into the Password field when given. */
  password?: string;
}

export class ConnectionDialog {
  constructor(readonly page: Page) {}

  get dialog(): Locator {
    return this.page.getByRole('dialog', { name: /^(Add connection|Edit |Duplicate )/ });
  }

  /** Open an empty Add connection form from the connections list's button (the welcome has one too). */
  async openNew(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Connections' }).getByRole('button', { name: 'Add connection', exact: true }).click();
    await expect(this.page.getByRole('dialog', { name: 'Add connection' })).toBeVisible();
  }

  field(label: string): Locator {
    return this.dialog.getByLabel(label, { exact: true });
  }

  async fill(fields: ConnectionFields): Promise<void> {
    await expect(this.dialog).toBeVisible();
    await this.field('Name').fill(fields.name);
    if (fields.environment) await this.field('Environment').selectOption(fields.environment);
    await this.field('Host').fill(fields.host);
    await this.field('Port').fill(fields.port);
    await this.field('User').fill(fields.user);
    await this.field('Database').fill(fields.database);
    await this.field('Migrations folder').fill(fields.migrationsFolder);
    if (fields.password !== undefined) await this.field('Password').fill(fields.password);
    if (fields.transactionMode === 'per-migration') await this.dialog.getByRole('radio', { name: /One transaction per migration/ }).check();
    if (fields.transactionMode === 'knex') await this.dialog.getByRole('radio', { name: /Knex default/ }).check();
  }

  get testButton(): Locator {
    return this.dialog.getByRole('button', { name: /^(Test connection|Testing…)$/ });
  }

  /** Click "Test connection" and wait for its verdict. */
  async test(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Test connection', exact: true }).click();
    await expect(this.dialog.getByRole('button', { name: 'Test connection', exact: true })).toBeEnabled();
  }

  async save(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(this.dialog).toBeHidden();
  }
}
