// Scenario 8: escaping, CSRF, Content-Security-Policy, HttpOnly session cookie, open redirects.

import { scenario, assert, USERS, DEMO_PASSWORD, BASE_URL } from '../lib/harness.mjs';

const XSS = '<script>window.pwned=1</script><b>x</b>';

scenario('8a. an appeal text with markup renders as text', async (s) => {
  const c = await s.signedIn(USERS.citizen);
  await c.visit('/appeals/new');
  await c.submit('#appeal-form', {
    form: 'application',
    language: 'ru',
    category_id: 'roads.repair',
    kato: '611600000',
    text: XSS,
  });
  assert.match(c.pathname(), /^\/appeals\/[^/]+\/ticket$/, `after submitting: ${c.path()}`);
  assert.equal(await c.page.evaluate(() => window.pwned), undefined, 'window.pwned on the ticket page');
  await c.click('a#appeal-link');
  const shown = await c.text('#appeal-text');
  assert.ok(shown.includes(XSS), `the literal text is visible in #appeal-text; it shows ${JSON.stringify(shown)}`);
  assert.equal(await c.page.evaluate(() => window.pwned), undefined, 'window.pwned is undefined');
  assert.equal(await c.page.locator('#appeal-text b, #appeal-text script').count(), 0, 'no <b> or <script> element inside #appeal-text');

  // Officials see it as text too.
  const id = c.pathname().split('/')[2];
  const o = await s.signedIn(USERS.official);
  await o.visit(`/appeals/${id}`);
  assert.ok((await o.text('#appeal-text')).includes(XSS), 'the official sees the literal text');
  assert.equal(await o.page.evaluate(() => window.pwned), undefined, 'window.pwned on the official\'s page');
  await o.visit('/office/queue');
  assert.equal(await o.page.evaluate(() => window.pwned), undefined, 'window.pwned on the queue');
});

scenario('8b. a form POST without the CSRF token is refused', async (s) => {
  const c = await s.signedIn(USERS.citizen);
  await c.visit('/appeals/new');
  const token = await c.csrf();
  const idem = await c.attr('#appeal-form input[name="idem"]', 'value');
  const fields = {
    form: 'application',
    language: 'ru',
    category_id: 'roads.repair',
    kato: '611600000',
    text: 'Проверка защиты от подделки межсайтовых запросов: это обращение не должно быть зарегистрировано.',
    idem: idem || '',
  };
  await c.visit('/my/appeals');
  const count0 = await c.page.locator('#my-appeals tr[data-id]').count();

  const none = await c.post('/appeals/new', fields);
  assert.equal(none.status(), 403, `POST /appeals/new without csrf: HTTP ${none.status()}`);
  const wrong = await c.post('/appeals/new', { ...fields, csrf: 'x'.repeat(token.length || 32) });
  assert.equal(wrong.status(), 403, `POST /appeals/new with a wrong csrf: HTTP ${wrong.status()}`);
  await c.visit('/my/appeals');
  assert.equal(await c.page.locator('#my-appeals tr[data-id]').count(), count0, 'no appeal was registered by the refused POSTs');

  // Sign-out is a form too: refused without the token, the session survives.
  const out = await c.post('/logout', {});
  assert.equal(out.status(), 403, `POST /logout without csrf: HTTP ${out.status()}`);
  await c.visit('/my/appeals');
  assert.equal(c.pathname(), '/my/appeals', 'still signed in after a refused sign-out');
  // With the token (the double-submit cookie), it works: the 403s were about the token.
  const ok = await c.post('/logout', { csrf: await c.csrf() });
  assert.equal(ok.status(), 303, `POST /logout with csrf: HTTP ${ok.status()}`);
  await c.visit('/my/appeals');
  assert.equal(c.pathname(), '/login', 'signed out');

  // The sign-in form is protected as well.
  const anon = await s.client('visitor');
  await anon.visit('/login');
  const login = await anon.post('/login', { login: USERS.citizen, password: DEMO_PASSWORD });
  assert.equal(login.status(), 403, `POST /login without csrf: HTTP ${login.status()}`);
});

scenario('8c. Content-Security-Policy header and HttpOnly session cookie', async (s) => {
  const v = await s.client('visitor');
  for (const p of ['/', '/login', '/petitions', '/statistics']) {
    const r = await v.visit(p);
    const csp = r.headers()['content-security-policy'];
    assert.ok(csp, `${p}: no Content-Security-Policy header`);
    const scriptSrc = (csp.split(';').map((x) => x.trim()).find((d) => d.startsWith('script-src')) ||
      csp.split(';').map((x) => x.trim()).find((d) => d.startsWith('default-src')) || '');
    assert.ok(scriptSrc, `${p}: the CSP has neither script-src nor default-src: ${csp}`);
    assert.ok(!/'unsafe-inline'|'unsafe-eval'|\*/.test(scriptSrc), `${p}: the CSP allows inline or foreign scripts: ${scriptSrc}`);
    const ct = r.headers()['content-type'] || '';
    assert.match(ct, /^text\/html/, `${p}: content-type ${ct}`);
    assert.match(ct, /charset=utf-8/i, `${p}: content-type has no charset=utf-8: ${ct}`);
    const nosniff = r.headers()['x-content-type-options'];
    if (nosniff !== 'nosniff') console.error(`note: ${p} has no X-Content-Type-Options: nosniff`);
  }
  const c = await s.signedIn(USERS.citizen);
  const session = await c.cookie('tyndau_session');
  assert.ok(session, 'the tyndau_session cookie is set after signing in');
  assert.equal(session.httpOnly, true, 'tyndau_session is HttpOnly');
  assert.ok(['Lax', 'Strict'].includes(session.sameSite), `tyndau_session SameSite=${session.sameSite}`);
  const visible = await c.page.evaluate(() => document.cookie);
  assert.ok(!visible.includes('tyndau_session'), 'document.cookie does not expose the session');
  const csrf = await c.cookie('tyndau_csrf');
  assert.ok(csrf, 'the tyndau_csrf cookie is set');
});

scenario('8d. sign-in does not redirect off the site', async (s) => {
  const c = await s.client('visitor');
  // Whatever comes of it, do not leave the machine.
  await c.context.route((u) => !u.href.startsWith(BASE_URL), (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html lang="en"><title>elsewhere</title><main><h1>elsewhere</h1></main></html>' }),
  );
  for (const next of ['https://evil.example/', '//evil.example/']) {
    await c.visit(`/login?next=${encodeURIComponent(next)}`);
    await c.submit('#login-form', { login: USERS.citizen, password: DEMO_PASSWORD });
    assert.equal(new URL(c.page.url()).origin, new URL(BASE_URL).origin, `open redirect: /login?next=${next} ended on ${c.page.url()}`);
    await c.submit('#logout-form');
  }
});
