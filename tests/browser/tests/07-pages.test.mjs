// Every main page, by role, in each language: the page contract's landmarks and axe on each.

import { scenario, assert, USERS } from '../lib/harness.mjs';

async function landmarks(c, lang) {
  const where = c.path();
  assert.equal(await c.htmlLang(), lang, `${where}: <html lang>`);
  await c.expectPresent('main#main', where);
  assert.equal(await c.page.locator('h1').count(), 1, `${where}: one <h1>`);
  const first = await c.page.evaluate(() => {
    const f = document.body.querySelector('a[href], button, input:not([type=hidden]), select, textarea, [tabindex]');
    return f ? f.matches('a.skip-link[href="#main"]') : false;
  });
  assert.ok(first, `${where}: a.skip-link[href="#main"] is the first focusable element of the body`);
  const title = await c.page.title();
  assert.ok(title.trim().length > 0, `${where}: <title>`);
}

const PUBLIC = ['/', '/login', '/register', '/petitions', '/statistics'];

for (const lang of ['en', 'kk', 'ru']) {
  scenario(`public pages in ${lang}`, async (s) => {
    const c = await s.client(`visitor-${lang}`);
    await c.visit(`/lang/${lang}?next=/`);
    for (const p of PUBLIC) {
      await c.visit(p);
      await landmarks(c, lang);
    }
    // A public petition.
    await c.visit('/petitions');
    if (await c.exists('#petition-list [data-id] a[href*="/petitions/"]')) {
      await c.click('#petition-list [data-id] a[href*="/petitions/"]');
      await landmarks(c, lang);
    }
    await c.visit('/no-such-page', { status: 404 });
    await landmarks(c, lang);
    assert.ok(await c.attr('main', 'data-code'), 'main[data-code] on the not-found page');
  });
}

scenario('citizen pages', async (s) => {
  const c = await s.signedIn(USERS.citizen);
  await c.visit('/lang/en?next=/my/appeals');
  for (const p of ['/my/appeals', '/appeals/new', '/my/signatures', '/petitions/new']) {
    await c.visit(p);
    await landmarks(c, 'en');
  }
  // Every select of the appeal form offers the contract's values.
  await c.visit('/appeals/new');
  const opts = async (name) =>
    c.page.locator(`#appeal-form select[name="${name}"] option`).evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  const forms = await opts('form');
  for (const f of ['application', 'complaint', 'proposal', 'request', 'response', 'report']) {
    assert.ok(forms.includes(f), `#appeal-form select[name=form] has ${f} (has ${forms.join(', ')})`);
  }
  const langs = await opts('language');
  for (const l of ['kk', 'ru', 'other']) assert.ok(langs.includes(l), `select[name=language] has ${l}`);
  assert.ok((await opts('category_id')).includes('roads.repair'), 'select[name=category_id] has roads.repair');
  assert.ok((await opts('kato')).includes('611600000'), 'select[name=kato] has 611600000');
  for (const name of ['lat', 'lon', 'text', 'anonymous']) await c.expectPresent(`#appeal-form [name="${name}"]`);

  // Each of the citizen's appeals in the list opens (first three).
  await c.visit('/my/appeals');
  const hrefs = await c.page.locator('#my-appeals tr[data-id] a[href*="/appeals/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.length > 0, 'links in #my-appeals');
  for (const h of [...new Set(hrefs)].slice(0, 3)) {
    await c.visit(h);
    await landmarks(c, 'en');
    await c.expectPresent('#appeal-status[data-status]');
    await c.expectPresent('#appeal-text[lang]');
    await c.expectPresent('ol#timeline > li');
  }
});

scenario('official pages: queue, filter, an appeal with its action forms', async (s) => {
  const o = await s.signedIn(USERS.official);
  await landmarks(o, await o.htmlLang());
  await o.visit('/lang/en?next=/office/queue');
  await landmarks(o, 'en');
  const rows = o.page.locator('#queue tr[data-id]');
  assert.ok((await rows.count()) > 0, 'the demo official has appeals in #queue');
  const regNos = await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-reg-no')));
  assert.ok(regNos.every(Boolean), 'every queue row has data-reg-no');
  // Sorted by due date: the English day ("14 Dec 2026") leads the row.
  const dues = await rows.evaluateAll((rs) =>
    rs.map((r) => {
      const m = r.innerText.match(/\b(\d{1,2} [A-Z][a-z]{2} \d{4})\b/);
      return m ? Date.parse(m[1] + ' UTC') : null;
    }),
  );
  if (dues.every((d) => d !== null)) {
    const unsorted = dues.findIndex((d, i) => i > 0 && d < dues[i - 1]);
    assert.equal(unsorted, -1, `#queue is sorted by due date (row ${unsorted + 1} is due before row ${unsorted})`);
  } else {
    console.error('note: could not read the due dates of #queue rows; sort order not checked');
  }

  // Filters.
  await o.expectPresent('#queue-filter');
  const method = ((await o.attr('#queue-filter', 'method')) || 'get').toLowerCase();
  assert.equal(method, 'get', '#queue-filter is a GET form');
  await o.submit('#queue-filter', { overdue: true });
  assert.equal(o.pathname(), '/office/queue');
  const overdue = await o.page.locator('#queue tr[data-id]').evaluateAll((rs) => rs.map((r) => r.classList.contains('overdue')));
  assert.ok(overdue.every(Boolean), `with overdue ticked, every row has class "overdue" (${overdue.filter((x) => !x).length} of ${overdue.length} do not)`);
  await o.visit('/office/queue');
  const cats = await o.page.locator('#queue-filter select[name="category_id"] option').evaluateAll((os) => os.map((x) => x.value).filter(Boolean));
  assert.ok(cats.length > 0, '#queue-filter offers categories');
  const cat = cats.includes('roads') ? 'roads' : cats.includes('roads.repair') ? 'roads.repair' : cats[0];
  await o.submit('#queue-filter', { category_id: cat });
  assert.ok(o.path().includes(`category_id=${encodeURIComponent(cat)}`), `the filter is in the URL: ${o.path()}`);

  // An appeal of the queue: the official's action forms, each with a labelled field.
  await o.visit('/office/queue');
  const first = o.page.locator('#queue tr[data-id] a[href*="/appeals/"]').first();
  assert.ok((await first.count()) > 0, 'queue rows link to /appeals/{id}');
  await o.click('#queue tr[data-id] a[href*="/appeals/"]');
  await landmarks(o, 'en');
  const forms = [];
  for (const f of ['#assign-form', '#forward-form', '#extend-form', '#answer-form', '#close-form', '#leave-form']) {
    if (await o.exists(f)) forms.push(f);
  }
  assert.ok(forms.length > 0, `an appeal in the official's queue offers actions (found none of the action forms)`);
  await o.expectAbsent('#rate-form', 'officials do not rate');
  await o.expectAbsent('#complain-form', 'officials do not complain');
  if (await o.exists('#forward-form')) {
    await o.expectPresent('#forward-form select[name="org_id"]');
    await o.expectPresent('#forward-form [name="reason"]');
  }
  if (await o.exists('#extend-form')) {
    await o.expectPresent('#extend-form input[name="new_due_on"]');
    await o.expectPresent('#extend-form [name="reason"]');
  }
  if (await o.exists('#leave-form')) {
    await o.expectPresent('#leave-form select[name="reason"]');
  }

  const h = await s.signedIn(USERS.head);
  await landmarks(h, await h.htmlLang());
  assert.ok((await h.page.locator('#queue').count()) > 0, 'the head sees #queue');
});

scenario('moderator and supervisor pages', async (s) => {
  const m = await s.signedIn(USERS.moderator);
  await m.visit('/lang/en?next=/office/moderation');
  assert.equal(m.pathname(), '/office/moderation');
  await landmarks(m, 'en');
  await m.expectPresent('#moderation-queue');
  if (await m.exists('#moderation-queue tr[data-id] a[href*="/petitions/"]')) {
    await m.click('#moderation-queue tr[data-id] a[href*="/petitions/"]');
    await landmarks(m, 'en');
    await m.expectPresent('#petition-status[data-status]');
  }

  const sup = await s.signedIn(USERS.supervisor);
  await sup.visit('/lang/en?next=/office/overview');
  assert.equal(sup.pathname(), '/office/overview');
  await landmarks(sup, 'en');
  assert.ok((await sup.page.locator('main table').count()) >= 3, 'tables by organisation, region and category');
  const ths = await sup.page.locator('main table th').count();
  assert.ok(ths > 0, 'the overview tables have header cells');
});

scenario('phone-size pages (390x844)', async (s) => {
  const c = await s.client('phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await c.visit('/');
  await landmarks(c, 'en');
  const overflow = await c.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the home page scrolls sideways on a phone by ${overflow}px`);
  await c.signIn(USERS.citizen, undefined, '/appeals/new');
  assert.equal(c.pathname(), '/appeals/new');
  const overflow2 = await c.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow2 <= 1, `the appeal form scrolls sideways on a phone by ${overflow2}px`);
});

scenario('an appeal and a petition in another language (language=other)', async (s) => {
  // "other" is not a language tag: such text must not carry lang="other" (axe valid-lang).
  const c = await s.signedIn(USERS.citizen);
  await c.visit('/appeals/new');
  await c.submit('#appeal-form', {
    form: 'proposal',
    language: 'other',
    category_id: 'roads.repair',
    kato: '611600000',
    text: 'Arys qalasyndaǵy jol jóndeý jumystaryn jedeldetýdi usynamyn: kóshe sheti shuńqyrlarǵa toly.',
  });
  assert.match(c.pathname(), /\/ticket$/);
  await c.click('a#appeal-link');
  await c.expectPresent('#appeal-text');
  const lang = await c.attr('#appeal-text', 'lang');
  assert.ok(lang === null || lang === '' || /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(lang) && lang !== 'other', `#appeal-text lang="${lang}" for language=other`);

  await c.visit('/petitions/new');
  await c.submit('#petition-form', {
    title: 'Arys qalasynda velosiped joldaryn salý',
    text: 'Arys qalasynda velosiped joldary joq; balalar kólik jolymen júredi.',
    proposals: 'Jibek joly kóshesi boiymen velosiped jolyn salý.',
    addressee_org_id: 'akimat-arys',
    language: 'other',
  });
  assert.match(c.pathname(), /^\/petitions\/[^/]+$/, `after #petition-form: ${c.path()}`);
  const bad = await c.page.locator('[lang="other"]').count();
  assert.equal(bad, 0, `${bad} element(s) with lang="other" on ${c.path()}`);
});
