// Scenario 9 and the rest of access: where each role lands, what is refused.

import { scenario, assert, USERS } from '../lib/harness.mjs';

scenario('9. an unauthenticated visit to /my/appeals redirects to the sign-in page', async (s) => {
  const c = await s.client('visitor');
  await c.visit('/my/appeals');
  assert.equal(c.pathname(), '/login', `/my/appeals without a session ends on ${c.path()}`);
  const next = new URL(c.page.url()).searchParams.get('next');
  assert.equal(next, '/my/appeals', 'the sign-in page remembers where to return (?next=)');
  await c.expectPresent('#login-form');
  // Signing in returns to the page asked for.
  await c.submit('#login-form', { login: USERS.citizen, password: 'tyndau-demo-2026' });
  assert.equal(c.pathname(), '/my/appeals', 'after signing in, back to /my/appeals');
  await c.expectPresent('#my-appeals');
  assert.ok((await c.page.locator('#my-appeals tr[data-id]').count()) > 0, 'the demo citizen has appeals');
  await c.expectPresent('#logout-form');
});

scenario('9b. unauthenticated visits to other private pages redirect to sign-in', async (s) => {
  const c = await s.client('visitor');
  for (const p of ['/office/queue', '/office/moderation', '/office/overview', '/my/signatures', '/petitions/new']) {
    await c.visit(p);
    assert.equal(c.pathname(), '/login', `${p} without a session ends on ${c.path()}`);
    assert.equal(new URL(c.page.url()).searchParams.get('next'), p, `${p}: ?next=`);
  }
  // The appeal form itself is shown to everyone, with a way to sign in first.
  await c.visit('/appeals/new');
  await c.expectPresent('main a[href="/login?next=/appeals/new"]', 'a sign-in link on the appeal form for visitors');
});

scenario('sign-in lands each role on its page; sign-out ends the session', async (s) => {
  const expected = [
    [USERS.citizen, '/my/appeals'],
    [USERS.official, '/office/queue'],
    [USERS.head, '/office/queue'],
    [USERS.supervisor, '/office/overview'],
  ];
  for (const [login, path] of expected) {
    const c = await s.client(login);
    const landed = await c.signIn(login);
    assert.equal(landed, path, `${login} lands on ${landed}, expected ${path}`);
    await c.expectPresent('#logout-form');
    await c.submit('#logout-form');
    await c.expectAbsent('#logout-form', 'signed out');
    assert.equal(await c.cookie('tyndau_session').then((x) => (x ? x.value : '')), '', 'the session cookie is cleared');
    await c.visit('/my/appeals');
    assert.equal(c.pathname(), '/login', 'after signing out, private pages ask to sign in');
  }
});

scenario('a wrong password re-renders the sign-in form with an error summary', async (s) => {
  const c = await s.client('visitor');
  await c.visit('/login');
  await c.submit('#login-form', { login: USERS.citizen, password: 'wrong password' }, { status: null });
  assert.ok([401, 403, 422].includes(c.lastStatus), `wrong password: HTTP ${c.lastStatus}, expected 422`);
  assert.equal(c.lastStatus, 422, 'invalid input re-renders the form with 422 (contract)');
  assert.equal(c.pathname(), '/login');
  await c.expectPresent('#error-summary[role="alert"]');
  await c.expectAbsent('#logout-form');
  assert.equal(await c.cookie('tyndau_session'), null, 'no session after a wrong password');
});

scenario('a citizen is refused the office pages (403)', async (s) => {
  const c = await s.signedIn(USERS.citizen);
  for (const p of ['/office/queue', '/office/moderation', '/office/overview']) {
    await c.visit(p, { status: 403 });
    assert.ok(await c.attr('main', 'data-code'), `${p}: main[data-code]`);
    assert.equal(await c.page.locator('h1').count(), 1, `${p}: one <h1>`);
  }
  for (const p of ['/no/such/page', '/appeals/00000000-0000-0000-0000-000000000000', '/petitions/00000000-0000-0000-0000-000000000000', '/appeals/not-an-id/ticket']) {
    await c.visit(p, { status: 404 });
    assert.ok(await c.attr('main', 'data-code'), `${p}: main[data-code] on the not-found page`);
    assert.equal(await c.page.locator('h1').count(), 1, `${p}: one <h1>`);
  }
});

/** A valid IIN (date of birth, century/sex digit, serial, check digit) not used elsewhere. */
function newIin() {
  for (;;) {
    const serial = String(Math.floor(Math.random() * 10000)).padStart(4, '0');
    const d = `9703214${serial}`.split('').map(Number);
    let sum = d.reduce((a, x, i) => a + x * (i + 1), 0) % 11;
    if (sum === 10) sum = d.reduce((a, x, i) => a + x * (((i + 2) % 11) + 1), 0) % 11;
    if (sum !== 10) return d.join('') + sum;
  }
}

scenario('a citizen registers through the form and is signed in', async (s) => {
  const c = await s.client('newcomer', { locale: 'ru-RU' });
  await c.visit('/register');
  assert.equal(await c.htmlLang(), 'ru');
  const iin = newIin();
  await c.submit('#register-form', { iin, full_name: 'Жанна Ермекова', password: 'a long enough password 2026' });
  await c.expectPresent('#logout-form', `signed in after registering (at ${c.path()})`);
  assert.ok(await c.cookie('tyndau_session'), 'a session cookie after registering');
  await c.visit('/my/appeals');
  assert.equal(c.pathname(), '/my/appeals');
  assert.equal(await c.page.locator('#my-appeals tr[data-id]').count(), 0, 'a new citizen has no appeals');
  // The same IIN cannot register twice.
  const again = await s.client('again');
  await again.visit('/register');
  await again.submit('#register-form', { iin, full_name: 'Жанна Ермекова', password: 'another long password' }, { status: null });
  assert.ok([409, 422].includes(again.lastStatus), `registering the same IIN twice: HTTP ${again.lastStatus}, expected 422`);
  await again.expectPresent('#error-summary');
  await again.expectAbsent('#logout-form');
});
