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
  const describedBy = await c.attr('#appeal-form [name="text"]', 'aria-describedby');
  assert.ok((describedBy || '').split(/\s+/).includes('text-error'), `the text field is aria-describedby="text-error" (has ${describedBy})`);
  const invalid = await c.attr('#appeal-form [name="text"]', 'aria-invalid');
  assert.equal(invalid, 'true', 'aria-invalid on the text field');

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
  assert.equal(await c.cookie('tyndau_session'), null, 'no session for a refused registration');
});
