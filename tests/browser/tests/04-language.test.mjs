// Scenario 7: language switching, remembered by cookie; Accept-Language without one.

import { scenario, assert, url, BASE_URL } from '../lib/harness.mjs';

async function h1(c) {
  return (await c.text('h1')).replace(/\s+/g, ' ');
}

scenario('7. language switching: kk, ru, en; remembered; Accept-Language without a cookie', async (s) => {
  const c = await s.client('visitor', { locale: 'en-US' });
  await c.visit('/');
  assert.equal(await c.htmlLang(), 'en', 'English for Accept-Language en-US');
  const titles = { en: await h1(c) };

  for (const lang of ['kk', 'ru', 'en']) {
    await c.visit('/petitions');
    const href = await c.attr(`a[hreflang="${lang}"]`, 'href');
    const u = new URL(href, c.page.url());
    assert.equal(u.pathname, `/lang/${lang}`, `a[hreflang=${lang}] goes to /lang/${lang}`);
    assert.equal(u.searchParams.get('next'), '/petitions', `a[hreflang=${lang}] carries ?next=/petitions`);
    await c.click(`a[hreflang="${lang}"]`);
    assert.equal(c.pathname(), '/petitions', 'back on the page the link was clicked on');
    assert.equal(await c.htmlLang(), lang, `<html lang> after choosing ${lang}`);
    const cookie = await c.cookie('tyndau_lang');
    assert.ok(cookie, 'the tyndau_lang cookie is set');
    assert.equal(cookie.value, lang, 'tyndau_lang cookie value');
    // Remembered on the next page.
    await c.visit('/');
    assert.equal(await c.htmlLang(), lang, `the choice of ${lang} is remembered on the next page`);
    titles[lang] = await h1(c);
    await c.visit('/statistics');
    assert.equal(await c.htmlLang(), lang, `/statistics in ${lang}`);
  }
  assert.notEqual(titles.kk, titles.ru, `the home page's <h1> is translated (kk "${titles.kk}", ru "${titles.ru}")`);
  assert.notEqual(titles.kk, titles.en, `kk "${titles.kk}" vs en "${titles.en}"`);
  assert.notEqual(titles.ru, titles.en, `ru "${titles.ru}" vs en "${titles.en}"`);

  // No cookie: Accept-Language decides.
  const ru = await s.client('ru-visitor', { locale: 'ru-RU' });
  await ru.visit('/');
  assert.equal(await ru.htmlLang(), 'ru', 'Russian for Accept-Language ru-RU');
  assert.equal(await ru.cookie('tyndau_lang'), null, 'no tyndau_lang cookie before choosing');
  assert.equal(await h1(ru), titles.ru, 'the Russian home page');

  const kk = await s.client('kk-visitor', { locale: 'kk-KZ' });
  await kk.visit('/');
  assert.equal(await kk.htmlLang(), 'kk', 'Kazakh for Accept-Language kk-KZ');

  // The cookie beats Accept-Language.
  await ru.click('a[hreflang="en"]');
  assert.equal(await ru.htmlLang(), 'en', 'the chosen language beats Accept-Language');
  await ru.visit('/login');
  assert.equal(await ru.htmlLang(), 'en');
});

scenario('7b. a language link does not redirect off the site', async (s) => {
  const c = await s.client('visitor');
  for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example/']) {
    const r = await c.context.request.get(url(`/lang/ru?next=${encodeURIComponent(next)}`), { maxRedirects: 0, failOnStatusCode: false });
    const loc = r.headers()['location'] || '';
    assert.ok(r.status() >= 300 && r.status() < 400, `/lang/ru?next=${next}: HTTP ${r.status()}, expected a redirect`);
    assert.equal(new URL(loc, BASE_URL).origin, new URL(BASE_URL).origin, `open redirect: /lang/ru?next=${next} redirects to ${loc}`);
  }
});
