// The page-setup most admin-page browser tests repeat: a staff login on the site, a Chromium page at a
// width, problems watched, logged in at a path, and the event stream live before the test acts.
import type { Browser, Page } from 'playwright-core';
import type { TestSite } from './testSite.js';
import { PHONE, submitLogin, watchProblems } from './browser.js';

export const STAFF = { username: 'staff', password: 'correct horse battery' } as const;
export const DESKTOP = { width: 1280, height: 900 } as const;

export interface StaffPage { page: Page; problems: string[] }

/**
 * Creates the "staff" login (admin unless told otherwise) if the site has none, opens `path` logged in,
 * and waits for the live event stream (so pushed events from then on reach the page).
 */
export async function openStaffPage(site: TestSite, browser: Browser, path = '/',
  opts: { viewport?: { width: number; height: number }; role?: 'admin' | 'viewer' } = {}): Promise<StaffPage> {
  if (!site.domain.adminUsers.byUsername(STAFF.username)) {
    await site.domain.adminUsers.create({ ...STAFF, role: opts.role ?? 'admin' });
  }
  const page = await browser.newPage({ viewport: opts.viewport ?? PHONE });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}${path}`);
  await submitLogin(page, STAFF.username, STAFF.password);
  await page.locator('[data-live=live]').waitFor();
  return { page, problems };
}
