// Scenario 10 (keyboard) and the forms' error handling.

import { scenario, assert, USERS } from '../lib/harness.mjs';

async function focused(c) {
  return c.page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    return {
      tag: e.tagName.toLowerCase(),
      cls: e.className,
      href: e.getAttribute('href'),
      text: (e.textContent || '').replace(/\s+/g, ' ').trim(),
      skip: e.matches('a.skip-link[href="#main"]'),
    };
  });
}

/** Field messages (#<name>-error) not tied to their field, or fields not marked invalid. */
async function fieldErrorProblems(c, formSel) {
  return c.page.evaluate((formSel) => {
    const out = [];
    for (const msg of document.querySelectorAll(`${formSel} [id$="-error"]`)) {
      const name = msg.id.replace(/-error$/, '');
      const field = document.querySelector(`${formSel} [name="${name}"]`);
      if (!field) continue;
      const refs = (field.getAttribute('aria-describedby') || '').split(/\s+/);
      if (!refs.includes(msg.id)) out.push(`[name=${name}] is not aria-describedby="${msg.id}" (has "${field.getAttribute('aria-describedby') || ''}")`);
      if (field.getAttribute('aria-invalid') !== 'true') out.push(`[name=${name}] has no aria-invalid="true"`);
    }
    return out;
  }, formSel);
}

scenario('10. keyboard: Tab first focuses the skip link', async (s) => {
  const c = await s.client('visitor');
  await c.visit('/');
  const first = await c.page.evaluate(() => {
    const el = document.body.firstElementChild;
    return el ? el.outerHTML.slice(0, 120) : null;
  });
  await c.expectPresent('a.skip-link[href="#main"]');
  await c.expectPresent('main#main');
  assert.equal(await c.page.locator('h1').count(), 1, 'one <h1>');

  await c.page.keyboard.press('Tab');
  const f = await focused(c);
  assert.ok(f && f.skip, `the first Tab focuses a.skip-link[href="#main"]; it focused ${JSON.stringify(f)} (first element of <body>: ${first})`);
  assert.match(f.text, /skip to main content/i, `the skip link's text: "${f.text}"`);
  const box = await c.page.locator('a.skip-link').boundingBox();
  assert.ok(box && box.width > 1 && box.height > 1 && box.y >= 0 && box.x >= 0, `the focused skip link is visible on screen: ${JSON.stringify(box)}`);

  await c.page.keyboard.press('Enter');
  await c.page.waitForFunction(() => location.hash === '#main');
  // Focus (or at least the sequential-focus starting point) is now in main: the next Tab lands
  // inside <main>, not on the header's links.
  await c.page.keyboard.press('Tab');
  const inMain = await c.page.evaluate(() => !!document.activeElement && !!document.activeElement.closest('main'));
  assert.ok(inMain, `after the skip link, Tab moves into <main>; focused ${JSON.stringify(await focused(c))}`);

  // Same on another page, in another language.
  await c.click('a[hreflang="kk"]');
  await c.visit('/petitions');
  await c.page.keyboard.press('Tab');
  const g = await focused(c);
  assert.ok(g && g.skip, `on /petitions (kk) the first Tab focuses the skip link; focused ${JSON.stringify(g)}`);
});

scenario('10b. keyboard: the sign-in form works without a mouse', async (s) => {
  const c = await s.client('visitor');
  await c.visit('/login');
  await c.page.locator('#login-form [name="login"]').focus();
  await c.page.keyboard.type(USERS.citizen);
  await c.page.keyboard.press('Tab');
  const onPassword = await c.page.evaluate(() => document.activeElement && document.activeElement.getAttribute('name'));
  assert.equal(onPassword, 'password', 'Tab from the login field goes to the password field');
  await c.page.keyboard.type('tyndau-demo-2026');
  await Promise.all([c.page.waitForNavigation({ waitUntil: 'load' }), c.page.keyboard.press('Enter')]);
  await c.audit();
  assert.equal(c.pathname(), '/my/appeals', 'Enter submits the sign-in form');
});

scenario('invalid appeal form: 422, an error summary and per-field messages', async (s) => {
  const c = await s.signedIn(USERS.citizen);
  await c.visit('/appeals/new');
  // Labels for every visible field (axe checks too; this names the field).
  for (const name of ['form', 'language', 'category_id', 'kato', 'text']) {
    await c.expectPresent(`#appeal-form [name="${name}"]`);
  }
  // Let the server judge: switch off the browser's own validation.
  await c.page.locator('#appeal-form').evaluate((f) => {
    f.noValidate = true;
  });
  await c.submit('#appeal-form', { text: '' }, { status: 422 });
  assert.equal(c.pathname(), '/appeals/new', 'the form is re-rendered in place');
  await c.expectPresent('#error-summary[role="alert"]');
  await c.expectPresent('#text-error', 'a message by the empty text field');
  const links = await c.page.locator('#error-summary a[href^="#"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const href of links) {
    assert.ok((await c.page.locator(href).count()) > 0, `#error-summary links to ${href}, which is not on the page`);
  }
  // Each field's message is tied to its field (aria-describedby) and the field is marked invalid.
  const problems = await fieldErrorProblems(c, '#appeal-form');
  await c.expectPresent('#text-error');
  await c.submit('#appeal-form', { lat: 'north', lon: '200', text: '' }, { status: 422 });
  await c.expectPresent('#lat-error', 'a message for lat=north');
  problems.push(...(await fieldErrorProblems(c, '#appeal-form')));
  assert.deepEqual([...new Set(problems)], [], 'error messages tied to their fields on /appeals/new (422)');

  // What was entered survives the re-render.
  await c.page.locator('#appeal-form').evaluate((f) => {
    f.noValidate = true;
  });
  await c.submit('#appeal-form', { language: 'kk', category_id: 'roads.repair', kato: '611600000', text: '' }, { status: 422 });
  assert.equal(await c.page.locator('#appeal-form [name="category_id"]').inputValue(), 'roads.repair', 'the chosen category is kept');
  assert.equal(await c.page.locator('#appeal-form [name="kato"]').inputValue(), '611600000', 'the chosen place is kept');
  assert.equal(await c.page.locator('#appeal-form [name="language"]').inputValue(), 'kk', 'the chosen language is kept');
});

scenario('the registration form rejects an invalid IIN', async (s) => {
  const c = await s.client('visitor');
  await c.visit('/register');
  await c.page.locator('#register-form').evaluate((f) => {
    f.noValidate = true;
  });
  await c.submit('#register-form', { iin: '123456789012', full_name: 'Тест Тестов', password: 'a long enough password' }, { status: 422 });
  await c.expectPresent('#error-summary[role="alert"]');
  await c.expectPresent('#iin-error');
  assert.deepEqual(await fieldErrorProblems(c, '#register-form'), [], 'error messages tied to their fields on /register (422)');
  assert.equal(await c.cookie('tyndau_session'), null, 'no session for a refused registration');
});
