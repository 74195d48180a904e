// The browser-test harness: playwright-core driving Debian's chromium, axe-core on every page,
// a screenshot of every open page when a scenario fails.
//
// A scenario gets a `Session`; its pages are `Client`s whose navigation helpers (visit, submit,
// click) run axe on each document they land on. Axe violations of impact "serious" or "critical"
// are collected and fail the scenario at its end (so one scenario reports every page's problems,
// not only the first), and a scenario that loaded a document without auditing it fails too.

import { chromium } from 'playwright-core';
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

export { BASE_URL, DEMO_PASSWORD, CHROMIUM, USERS, SECOND_CITIZEN, url } from './config.mjs';
import { BASE_URL, DEMO_PASSWORD, CHROMIUM, SECOND_CITIZEN, url } from './config.mjs';
export const ARTIFACTS = path.resolve(HERE, '..', 'artifacts');
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);

let browserPromise = null;

/** One headless chromium per test file (node --test runs each file in its own process). */
export function browser() {
  if (!browserPromise) {
    const args = ['--disable-dev-shm-usage', '--disable-gpu'];
    if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
    browserPromise = chromium.launch({ executablePath: CHROMIUM, headless: true, args });
  }
  return browserPromise;
}

const timing = { audits: 0, cached: 0, auditMs: 0, navigations: 0, navigationMs: 0 };
/** axe results by document (see Client.audit). */
const auditCache = new Map();
const minorSeen = new Set();

after(async () => {
  if (browserPromise) await (await browserPromise).close();
  if (process.env.TB_TIMING) {
    console.error(`timing: ${timing.audits} axe audits (${timing.cached} of identical documents), ${(timing.auditMs / 1000).toFixed(1)} s; ${timing.navigations} navigations, ${(timing.navigationMs / 1000).toFixed(1)} s`);
  }
});

export function slug(name) {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
}

function pathOf(u) {
  try {
    const x = new URL(u);
    return x.pathname + x.search;
  } catch {
    return u;
  }
}

function formatViolations(where, violations) {
  const lines = [`axe: ${violations.length} serious/critical violation(s) on ${where}`];
  for (const v of violations) {
    lines.push(`  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes.slice(0, 8)) {
      lines.push(`      target: ${JSON.stringify(n.target)}${n.failureSummary ? ' — ' + n.failureSummary.replace(/\s+/g, ' ') : ''}`);
    }
    if (v.nodes.length > 8) lines.push(`      … and ${v.nodes.length - 8} more node(s)`);
  }
  return lines.join('\n');
}

/** A browser page with navigation helpers that audit every document they land on. */
export class Client {
  constructor(session, context, page, label) {
    this.session = session;
    this.context = context;
    this.page = page;
    this.label = label;
    this.loads = 0; // documents loaded in the main frame
    this.audited = 0; // of which audited
    this.lastStatus = null;
    this.consoleErrors = [];
    page.on('load', () => {
      this.loads += 1;
    });
    page.on('response', (r) => {
      if (r.request().isNavigationRequest()) {
        if (r.frame() === page.mainFrame()) this.lastStatus = r.status();
      } else if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) {
        this.consoleErrors.push(`${pathOf(page.url())}: ${pathOf(r.url())} answered HTTP ${r.status()}`);
      }
    });
    page.on('console', (m) => {
      // Failed subresources are reported above, with their address.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
        this.consoleErrors.push(`${pathOf(page.url())}: ${m.text()}`);
      }
    });
    page.on('pageerror', (e) => this.consoleErrors.push(`${pathOf(page.url())}: uncaught ${e.message}`));
  }

  /** Run axe on the current document; serious/critical violations are recorded on the session. */
  async audit() {
    const where = `${this.label} ${pathOf(this.page.url())} (HTTP ${this.lastStatus})`;
    const t0 = Date.now();
    await this.page.waitForLoadState('load');
    // A document identical to one already audited in this process (CSRF tokens aside) at the same
    // viewport has the same axe result: reuse it.
    const { key, loaded } = await this.page.evaluate(() => {
      const html = document.documentElement.outerHTML.replace(/(name="csrf" value=")[^"]*/g, '$1');
      let h = 5381;
      for (let i = 0; i < html.length; i++) h = (h * 33 + html.charCodeAt(i)) | 0;
      return { key: `${innerWidth}x${innerHeight}:${html.length}:${h}`, loaded: typeof window.axe !== 'undefined' };
    });
    let result = auditCache.get(key);
    if (!result) {
      if (!loaded) await this.page.evaluate(AXE_SOURCE); // CDP evaluate: not subject to the page's CSP
      result = await this.page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      auditCache.set(key, result);
    } else {
      timing.cached += 1;
    }
    this.audited = this.loads;
    timing.audits += 1;
    timing.auditMs += Date.now() - t0;
    if (process.env.TB_AXE_ALL) {
      for (const v of result.violations.filter((x) => !BLOCKING_IMPACTS.has(x.impact))) {
        const k = `${v.id} ${pathOf(this.page.url()).replace(/\/[0-9a-f]{8}-[0-9a-f-]{27,}/g, '/{id}').replace(/\?.*/, '')}`;
        if (!minorSeen.has(k)) {
          minorSeen.add(k);
          console.error(`axe (${v.impact}, not failing) ${k}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(' ')}`);
        }
      }
    }
    const bad = result.violations.filter((v) => BLOCKING_IMPACTS.has(v.impact));
    if (bad.length) await this.session.recordViolations(where, bad, this);
    return result.violations;
  }

  /** GET a path; asserts the final status (default 200) and audits the page. */
  async visit(p, { status = 200 } = {}) {
    let resp;
    const t0 = Date.now();
    try {
      resp = await this.page.goto(url(p), { waitUntil: 'load' });
      timing.navigations += 1;
      timing.navigationMs += Date.now() - t0;
    } catch (e) {
      // Chromium shows no page for an error status with an empty body: say what came back.
      if (!/ERR_HTTP_RESPONSE_CODE_FAILURE/.test(e.message)) throw e;
      const r = await this.context.request.get(url(p), { failOnStatusCode: false });
      throw new Error(`GET ${p}: HTTP ${r.status()} with an empty body (${r.headers()['content-type'] || 'no content-type'}); expected an HTML page`);
    }
    this.lastStatus = resp ? resp.status() : null;
    await this.audit();
    if (status !== null) {
      assert.equal(this.lastStatus, status, `GET ${p}: expected HTTP ${status}, got ${this.lastStatus} (at ${this.page.url()})`);
    }
    return resp;
  }

  /** Fill a form's fields by name, press its submit button, wait for the next document, audit. */
  async submit(formSel, fields = {}, { status = 200, button } = {}) {
    const form = this.page.locator(formSel);
    assert.ok((await form.count()) > 0, `form ${formSel} not found on ${pathOf(this.page.url())}`);
    await this.fill(formSel, fields);
    const submitBtn = button
      ? form.locator(button)
      : form.locator('button[type=submit], input[type=submit], button:not([type])').first();
    assert.ok((await submitBtn.count()) > 0, `no submit button in ${formSel} on ${pathOf(this.page.url())}`);
    const before = this.page.url();
    const [resp] = await Promise.all([
      this.page.waitForNavigation({ waitUntil: 'load' }),
      submitBtn.click(),
    ]);
    this.lastStatus = resp ? resp.status() : this.lastStatus;
    await this.audit();
    if (status !== null) {
      assert.equal(
        this.lastStatus,
        status,
        `submitting ${formSel} on ${pathOf(before)}: expected final HTTP ${status}, got ${this.lastStatus} at ${pathOf(this.page.url())}` +
          (await this.errorSummaryText()),
      );
    }
    return resp;
  }

  async errorSummaryText() {
    const s = this.page.locator('#error-summary');
    if ((await s.count()) === 0) return '';
    return `; #error-summary says: ${(await s.innerText()).replace(/\s+/g, ' ').trim()}`;
  }

  /** Fill fields of a form by name: selects, checkboxes (boolean), radios (value), text. */
  async fill(formSel, fields) {
    for (const [name, value] of Object.entries(fields)) {
      const field = this.page.locator(`${formSel} [name="${name}"]`);
      const n = await field.count();
      assert.ok(n > 0, `field "${name}" not found in ${formSel} on ${pathOf(this.page.url())}`);
      const { tag, type } = await field.first().evaluate((el) => ({ tag: el.tagName.toLowerCase(), type: (el.getAttribute('type') || '').toLowerCase() }));
      if (tag === 'select') {
        const options = await field.first().evaluate((el) => [...el.options].map((o) => o.value));
        assert.ok(options.includes(String(value)), `select ${formSel} [name=${name}] has no option "${value}" (has ${options.length}: ${options.slice(0, 12).join(', ')}${options.length > 12 ? ', …' : ''})`);
        await field.first().selectOption(String(value));
      } else if (type === 'checkbox') {
        await field.first().setChecked(Boolean(value));
      } else if (type === 'radio') {
        const radio = this.page.locator(`${formSel} [name="${name}"][value="${value}"]`);
        assert.ok((await radio.count()) > 0, `radio ${name}=${value} not found in ${formSel}`);
        await radio.check();
      } else {
        await field.first().fill(String(value));
      }
    }
  }

  /** Click a link (or anything that navigates), wait for the next document, audit. */
  async click(sel, { status = 200 } = {}) {
    const el = this.page.locator(sel).first();
    assert.ok((await this.page.locator(sel).count()) > 0, `${sel} not found on ${pathOf(this.page.url())}`);
    const [resp] = await Promise.all([this.page.waitForNavigation({ waitUntil: 'load' }), el.click()]);
    this.lastStatus = resp ? resp.status() : this.lastStatus;
    await this.audit();
    if (status !== null) assert.equal(this.lastStatus, status, `after clicking ${sel}: HTTP ${this.lastStatus} at ${pathOf(this.page.url())}`);
    return resp;
  }

  path() {
    return pathOf(this.page.url());
  }

  pathname() {
    return new URL(this.page.url()).pathname;
  }

  async exists(sel) {
    return (await this.page.locator(sel).count()) > 0;
  }

  async expectPresent(sel, why = '') {
    assert.ok(await this.exists(sel), `expected ${sel} on ${this.path()}${why ? ' (' + why + ')' : ''}`);
  }

  async expectAbsent(sel, why = '') {
    assert.ok(!(await this.exists(sel)), `expected no ${sel} on ${this.path()}${why ? ' (' + why + ')' : ''}`);
  }

  async text(sel) {
    await this.expectPresent(sel);
    return (await this.page.locator(sel).first().innerText()).trim();
  }

  async attr(sel, name) {
    await this.expectPresent(sel);
    return this.page.locator(sel).first().getAttribute(name);
  }

  async htmlLang() {
    return this.page.locator('html').getAttribute('lang');
  }

  async notice() {
    return (await this.exists('#notice')) ? (await this.page.locator('#notice').innerText()).trim() : null;
  }

  async cookie(name) {
    const all = await this.context.cookies(BASE_URL);
    return all.find((c) => c.name === name) || null;
  }

  /** The double-submit CSRF token (the tyndau_csrf cookie). */
  async csrf() {
    const c = await this.cookie('tyndau_csrf');
    assert.ok(c, `no tyndau_csrf cookie after visiting ${this.path()}`);
    return c.value;
  }

  /** POST a form body with this context's cookies, no redirect following. */
  async post(p, form, { headers = {} } = {}) {
    return this.context.request.post(url(p), { form, maxRedirects: 0, headers, failOnStatusCode: false });
  }

  /** Sign in through the login form; returns the path landed on. */
  async signIn(login, password = DEMO_PASSWORD, next = null) {
    await this.visit(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
    await this.submit('#login-form', { login, password });
    return this.pathname();
  }
}

/** The browser contexts and pages of one scenario. */
export class Session {
  constructor(name) {
    this.name = name;
    this.contexts = [];
    this.clients = [];
    this.violations = [];
    this.shots = 0;
  }

  /** A fresh browser context (own cookies) with one page. Default: English, 1280x900. */
  async client(label = `client${this.clients.length + 1}`, opts = {}) {
    const b = await browser();
    const context = await b.newContext({
      locale: 'en-US',
      viewport: { width: 1280, height: 900 },
      ...opts,
    });
    context.setDefaultTimeout(Number(process.env.BROWSER_TIMEOUT_MS || 15000));
    this.contexts.push(context);
    const page = await context.newPage();
    const c = new Client(this, context, page, label);
    this.clients.push(c);
    return c;
  }

  /** A client signed in through the login form. */
  async signedIn(login, password = DEMO_PASSWORD, opts = {}) {
    const c = await this.client(login, opts);
    await c.signIn(login, password);
    return c;
  }

  /** The second citizen (registered through the JSON API, or signed in if already there). */
  async secondCitizen(opts = {}) {
    const c = await this.client('second-citizen', opts);
    const r = await c.context.request.post(url('/api/v1/auth/register'), { data: SECOND_CITIZEN, failOnStatusCode: false });
    if (r.status() !== 200 && r.status() !== 201) {
      const l = await c.context.request.post(url('/api/v1/auth/login'), {
        data: { login: SECOND_CITIZEN.iin, password: SECOND_CITIZEN.password },
        failOnStatusCode: false,
      });
      assert.ok(l.ok(), `register the second citizen: HTTP ${r.status()} ${await r.text()}; login: HTTP ${l.status()} ${await l.text()}`);
    }
    assert.ok(await c.cookie('tyndau_session'), 'the register/login API response set no tyndau_session cookie');
    return c;
  }

  async recordViolations(where, violations, client) {
    const msg = formatViolations(where, violations);
    const key = where.replace(/\/[0-9a-f-]{8,}/g, '/{id}') + violations.map((v) => v.id).join(',');
    if (!this.violations.some((x) => x.key === key)) {
      this.violations.push({ key, msg });
      console.error(`\n[${this.name}] ${msg}\n`);
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const shot = path.join(ARTIFACTS, `${slug(this.name)}-axe-${this.violations.length}.png`);
      await client.page.screenshot({ path: shot, fullPage: true, timeout: 5000 }).catch(() => {});
    }
  }

  /** End-of-scenario checks: every document audited, no serious/critical axe violation. */
  finish() {
    for (const c of this.clients) {
      if (c.consoleErrors.length) console.error(`[${this.name}] console errors on ${c.label}:\n  ${[...new Set(c.consoleErrors)].join('\n  ')}`);
      assert.ok(c.audited >= c.loads || c.page.isClosed(), `${c.label}: a document was loaded without an axe audit (last: ${c.path()}); use visit/submit/click`);
    }
    if (this.violations.length) {
      assert.fail(`accessibility: serious/critical axe violations\n${this.violations.map((v) => v.msg).join('\n')}`);
    }
  }

  async screenshotAll() {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    let i = 0;
    // The most recently used page first: that is <test-name>.png.
    for (const c of [...this.clients].reverse()) {
      if (c.page.isClosed()) continue;
      const file = path.join(ARTIFACTS, `${slug(this.name)}${i ? '-' + c.label.replace(/[^a-z0-9.-]+/gi, '_') : ''}.png`);
      try {
        await c.page.screenshot({ path: file, fullPage: true, timeout: 5000 });
        console.error(`[${this.name}] screenshot of ${c.label} at ${c.path()}: ${path.relative(process.cwd(), file)}`);
      } catch (e) {
        console.error(`[${this.name}] screenshot failed: ${e.message}`);
      }
      i += 1;
    }
  }

  async close() {
    for (const ctx of this.contexts) await ctx.close().catch(() => {});
  }
}

/**
 * A test with a Session: a screenshot of every open page on failure
 * (tests/browser/artifacts/<test-name>.png), axe violations reported at the end.
 */
export function scenario(name, fn, options = {}) {
  return test(name, options, async (t) => {
    const s = new Session(name);
    try {
      await fn(s, t);
      s.finish();
    } catch (e) {
      await s.screenshotAll();
      throw e;
    } finally {
      await s.close();
    }
  });
}

/** Wait for a condition that another request makes true (e.g. a counter), polling. */
export async function eventually(fn, { timeout = 5000, interval = 200, message = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw last || new Error(`timed out waiting for ${message}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

export { assert };
