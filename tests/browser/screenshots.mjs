// Full-page screenshots of the main pages for docs/screenshots/ (run by scripts/screenshots).
// English at 1280x900; home and the appeal form in Kazakh and Russian; both at phone size.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE_URL, CHROMIUM, DEMO_PASSWORD, USERS, url } from './lib/config.mjs';

const OUT = path.resolve(process.env.OUT_DIR || '../../docs/screenshots');
fs.mkdirSync(OUT, { recursive: true });

const args = ['--disable-dev-shm-usage', '--disable-gpu', '--hide-scrollbars', '--font-render-hinting=none'];
if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
const failures = [];
const taken = [];

async function session({ lang = 'en', viewport = { width: 1280, height: 900 }, mobile = false, login = null } = {}) {
  const context = await browser.newContext({
    locale: lang === 'en' ? 'en-US' : lang === 'ru' ? 'ru-RU' : 'kk-KZ',
    viewport,
    deviceScaleFactor: 1,
    isMobile: mobile,
    hasTouch: mobile,
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  if (login) {
    await page.goto(url('/login'));
    await page.fill('#login-form [name="login"]', login);
    await page.fill('#login-form [name="password"]', DEMO_PASSWORD);
    await Promise.all([page.waitForNavigation(), page.locator('#login-form [type=submit], #login-form button:not([type])').first().click()]);
  }
  await page.goto(url(`/lang/${lang}?next=/`));
  return { context, page };
}

async function shot(page, name, target) {
  try {
    if (target) {
      const resp = await page.goto(url(target), { waitUntil: 'load' });
      if (!resp || resp.status() >= 400) throw new Error(`GET ${target}: HTTP ${resp ? resp.status() : '?'}`);
    }
    await page.evaluate(() => document.fonts && document.fonts.ready);
    const file = path.join(OUT, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
    taken.push(`${name}.png  ${new URL(page.url()).pathname}`);
  } catch (e) {
    failures.push(`${name}: ${e.message.split('\n')[0]}`);
  }
}

async function step(what, fn) {
  try {
    return await fn();
  } catch (e) {
    failures.push(`${what}: ${e.message.split('\n')[0]}`);
    return null;
  }
}

// Public pages.
{
  const { context, page } = await session();
  await shot(page, 'home', '/');
  await shot(page, 'sign-in', '/login');
  await shot(page, 'petitions', '/petitions');
  const href = await step('a public petition', () => page.locator('#petition-list [data-id] a[href*="/petitions/"]').first().getAttribute('href'));
  if (href) await shot(page, 'petition', new URL(href, page.url()).pathname);
  await shot(page, 'statistics', '/statistics');
  await context.close();
}

// The citizen: the form, a new appeal's ticket, the list, the appeal.
let appealPath = null;
{
  const { context, page } = await session({ login: USERS.citizen });
  await shot(page, 'appeal-form', '/appeals/new');
  await step('submit an appeal', async () => {
    await page.selectOption('#appeal-form [name="form"]', 'application');
    await page.selectOption('#appeal-form [name="language"]', 'ru');
    await page.selectOption('#appeal-form [name="category_id"]', 'roads.repair');
    await page.selectOption('#appeal-form [name="kato"]', '611600000');
    await page.fill(
      '#appeal-form [name="text"]',
      'На улице Жибек жолы в городе Арыс с весны не отремонтированы ямы на проезжей части; ' +
        'прошу провести ямочный ремонт до начала учебного года.',
    );
    await Promise.all([page.waitForNavigation(), page.locator('#appeal-form [type=submit], #appeal-form button:not([type])').first().click()]);
    if (!/\/ticket$/.test(new URL(page.url()).pathname)) throw new Error(`no ticket after submitting (at ${page.url()})`);
  });
  if (/\/ticket$/.test(new URL(page.url()).pathname)) {
    await shot(page, 'ticket');
    appealPath = new URL(page.url()).pathname.replace(/\/ticket$/, '');
  }
  await shot(page, 'my-appeals', '/my/appeals');
  await context.close();
}

// The official: the queue and the new appeal with its action forms; then takes and answers it.
{
  const { context, page } = await session({ login: USERS.official });
  await shot(page, 'office-queue', '/office/queue');
  if (appealPath) {
    await shot(page, 'office-appeal', appealPath);
    await step('answer the appeal', async () => {
      const submit = async (form) =>
        Promise.all([page.waitForNavigation(), page.locator(`${form} [type=submit], ${form} button:not([type])`).first().click()]);
      await submit('#assign-form');
      await page.fill('#answer-form [name="text"]',
        'Ямочный ремонт улицы Жибек жолы включён в план работ; подрядчик приступит к нему до 1 декабря. ' +
          'Ответ можно обжаловать вышестоящему органу или в суд.');
      await submit('#answer-form');
    });
  }
  await context.close();
}

// The citizen sees the answer, with the forms to rate it or complain.
if (appealPath) {
  const { context, page } = await session({ login: USERS.citizen });
  await shot(page, 'appeal', appealPath);
  await context.close();
}

// The moderator and the supervisor.
{
  const { context, page } = await session({ login: USERS.moderator });
  await shot(page, 'moderation-queue', '/office/moderation');
  await context.close();
}
{
  const { context, page } = await session({ login: USERS.supervisor });
  await shot(page, 'supervisor-overview', '/office/overview');
  await context.close();
}

// Kazakh and Russian.
for (const lang of ['kk', 'ru']) {
  const anon = await session({ lang });
  await shot(anon.page, `home-${lang}`, '/');
  await anon.context.close();
  const c = await session({ lang, login: USERS.citizen });
  await shot(c.page, `appeal-form-${lang}`, '/appeals/new');
  await c.context.close();
}

// Phone size.
{
  const phone = { width: 390, height: 844 };
  const anon = await session({ viewport: phone, mobile: true });
  await shot(anon.page, 'home-phone', '/');
  await anon.context.close();
  const c = await session({ viewport: phone, mobile: true, login: USERS.citizen });
  await shot(c.page, 'appeal-form-phone', '/appeals/new');
  await c.context.close();
}

await browser.close();
console.log(`screenshots of ${BASE_URL} in ${path.relative(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'), OUT) || OUT}:\n  ${taken.join('\n  ')}`);
if (failures.length) {
  console.error(`not taken:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
