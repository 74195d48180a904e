// The listening-analytics pages (issue 5) in a real browser, each audited by axe: supervisors'
// hotspots, sensitive appeals, campaigns, hidden services and serial applicants; the
// administrators' lexicon and service registry through their forms; the public transparency
// index; and the classification advice on an official's appeal page.

import { scenario, assert, USERS } from '../lib/harness.mjs';

async function onePage(c, lang) {
  assert.equal(await c.htmlLang(), lang, `${c.path()}: <html lang>`);
  await c.expectPresent('main#main', c.path());
  assert.equal(await c.page.locator('h1').count(), 1, `${c.path()}: one <h1>`);
}

const SUPERVISOR_PAGES = [
  '/office/hotspots',
  '/office/sensitive',
  '/office/sensitive-terms',
  '/office/hidden-services',
  '/office/public-services',
  '/office/campaigns',
  '/office/serial-applicants',
];

for (const lang of ['en', 'kk', 'ru']) {
  scenario(`analytics pages for supervisors in ${lang}`, async (s) => {
    const sup = await s.signedIn(USERS.supervisor);
    await sup.visit(`/lang/${lang}?next=/office/hotspots`);
    for (const p of SUPERVISOR_PAGES) {
      await sup.visit(p);
      await onePage(sup, lang);
    }
    await sup.visit('/transparency');
    await onePage(sup, lang);
  });
}

scenario('supervisors see the sensitive appeals of the demo with their topics', async (s) => {
  const sup = await s.signedIn(USERS.supervisor);
  await sup.visit('/lang/en?next=/office/sensitive');
  await sup.expectPresent('#sens-filter select#topic');
  if (await sup.exists('#sensitive tr[data-id]')) {
    await sup.expectPresent('#sensitive tr[data-id] .tag-sensitive');
    await sup.click('#sensitive tr[data-id] a[href*="/appeals/"]');
    await sup.expectPresent('#appeal-status[data-status]');
  }
  // Others are refused.
  const c = await s.signedIn(USERS.citizen);
  await c.visit('/office/sensitive', { status: 403 });
});

scenario('administrators keep the lexicon and the service registry through forms', async (s) => {
  const a = await s.signedIn(USERS.admin);
  await a.visit('/lang/en?next=/office/sensitive-terms');
  await a.submit('#term-form', { topic: 'children', term: 'ab' }, { status: 422 });
  await a.expectPresent('#error-summary');
  await a.expectPresent('#term[aria-invalid="true"]');
  await a.submit('#term-form', { topic: 'children', term: 'Ребёнок один дома' });
  assert.equal(a.pathname(), '/office/sensitive-terms');
  await a.expectPresent('#terms tr[data-term="ребенок один дома"]');

  await a.visit('/office/public-services');
  await a.submit('#service-form', { id: 'Not A Code', name_kk: 'а', name_ru: 'б', name_en: 'c' }, { status: 422 });
  await a.expectPresent('#id[aria-invalid="true"]');
  await a.submit('#service-form', {
    id: 'family-certificate',
    name_kk: 'Отбасы құрамы туралы анықтама',
    name_ru: 'Справка о составе семьи',
    name_en: 'Certificate of family composition',
    category_id: 'public.egov',
    keywords: 'справк состав семь',
  });
  await a.expectPresent('#services tr[data-id="family-certificate"]');
});

scenario('the official handling an appeal sees the classification advice and corrects the category', async (s) => {
  const o = await s.signedIn(USERS.official);
  await o.visit('/lang/en?next=/office/queue');
  await o.click('#queue tr[data-id] a[href*="/appeals/"]');
  await o.expectPresent('#advice');
  await o.expectPresent('#category-form select#category-select');
  await o.submit('#category-form', { category_id: 'roads.lighting' });
  assert.match(await o.notice(), /category/i);
  await o.expectPresent('#advice-route');
});

scenario('a citizen submits an appeal without choosing a category', async (s) => {
  const c = await s.signedIn(USERS.citizen);
  await c.visit('/lang/en?next=/appeals/new');
  await c.submit('#appeal-form', {
    form: 'complaint',
    language: 'ru',
    category_id: 'auto',
    kato: '611600000',
    text: 'На улице Абая огромная яма на дороге, асфальт разбит.',
  });
  assert.match(c.pathname(), /\/ticket$/);
});
