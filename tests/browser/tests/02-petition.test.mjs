// Scenario 5: a petition from draft to signatures.

import { scenario, assert, USERS } from '../lib/harness.mjs';

const marker = `P${Date.now().toString(36)}`;

async function statusOf(c) {
  return c.attr('#petition-status', 'data-status');
}

async function countOf(c) {
  const raw = await c.attr('#signature-count', 'data-count');
  const n = Number(raw);
  assert.ok(raw !== null && Number.isInteger(n) && n >= 0, `#signature-count data-count is not a count: ${JSON.stringify(raw)}`);
  return n;
}

scenario('5. a petition is created, submitted, admitted by a moderator and signed', async (s) => {
  // The author files a draft and submits it.
  const author = await s.signedIn(USERS.citizen);
  await author.visit('/petitions/new');
  await author.submit('#petition-form', {
    title: `Арыс ауданында велосипед жолдарын салу (${marker})`,
    text:
      'Арыс қаласында велосипед жолдары жоқ, балалар мен жасөспірімдер көлік жолымен жүреді. ' +
      'Қауіпсіз велосипед жолдары жол-көлік оқиғаларын азайтады және салауатты өмір салтын қолдайды.',
    proposals: 'Жібек жолы және Абай көшелері бойымен бөлінген велосипед жолдарын салу; жобаны 2027 жылғы бюджетке енгізу.',
    addressee_org_id: 'akimat-arys',
    language: 'kk',
  });
  const m = author.pathname().match(/^\/petitions\/([^/]+)$/);
  assert.ok(m, `after #petition-form, expected /petitions/{id}, got ${author.path()}`);
  const pid = m[1];
  const page = `/petitions/${pid}`;
  assert.equal(await statusOf(author), 'draft', 'a new petition is a draft');
  await author.expectPresent('#submit-form', 'the author may submit the draft');
  await author.expectAbsent('#sign-form', 'a draft cannot be signed');
  await author.submit('#submit-form');
  assert.equal(author.pathname(), page, '#submit-form redirects back to the petition');
  assert.equal(await statusOf(author), 'submitted', 'status after #submit-form');
  await author.expectAbsent('#submit-form');

  // The moderator takes and admits it.
  const mod = await s.signedIn(USERS.moderator);
  await mod.visit('/office/moderation');
  const row = `#moderation-queue tr[data-id="${decodeURIComponent(pid)}"]`;
  await mod.expectPresent(row, 'the submitted petition is in the moderation queue');
  const link = `${row} a[href*="/petitions/${pid}"]`;
  if (await mod.exists(link)) await mod.click(link);
  else await mod.visit(page);
  assert.equal(mod.pathname(), page);
  await mod.expectPresent('#take-form', 'a moderator may take a submitted petition');
  await mod.expectAbsent('#admit-form', 'admit only after taking');
  await mod.submit('#take-form');
  assert.equal(mod.pathname(), page);
  assert.equal(await statusOf(mod), 'in_moderation', 'status after #take-form');
  await mod.expectPresent('#admit-form');
  await mod.expectPresent('#reject-form');
  await mod.expectPresent('#reject-form select[name="subject_code"]');
  await mod.submit('#admit-form');
  assert.equal(mod.pathname(), page);
  const admitted = await statusOf(mod);
  assert.ok(['link_only', 'collecting'].includes(admitted), `status after #admit-form: ${admitted}`);
  await mod.expectAbsent('#sign-form', 'officials do not sign');

  // Another citizen signs it, once.
  const signer = await s.secondCitizen();
  await signer.visit(page);
  const before = await countOf(signer);
  await signer.expectPresent('#sign-form', 'signing is open for a signed-in citizen');
  await signer.expectAbsent('#signed');
  await signer.submit('#sign-form');
  assert.equal(signer.pathname(), page, '#sign-form redirects back to the petition');
  assert.equal(await countOf(signer), before + 1, 'the signature count goes up by one');
  await signer.expectPresent('#signed', 'shown after signing');
  await signer.expectAbsent('#sign-form', 'no second signing form');

  // A second signature by the same citizen (the form replayed) does not count.
  const csrf = await signer.csrf();
  const again = await signer.post(`${page}/sign`, { csrf });
  assert.ok(again.status() < 500, `signing twice: HTTP ${again.status()}`);
  await signer.visit(page);
  assert.equal(await countOf(signer), before + 1, `signing twice counts once (replayed POST answered HTTP ${again.status()})`);

  await signer.visit('/my/signatures');
  const mine = await signer.page.locator('#my-signatures').innerText().catch(() => '');
  await signer.expectPresent('#my-signatures');
  assert.ok(
    (await signer.exists(`#my-signatures a[href*="/petitions/${pid}"]`)) || mine.includes(marker),
    'the petition is in /my/signatures',
  );

  // The author sees the count too.
  await author.visit(page);
  assert.equal(await countOf(author), before + 1);
});

scenario('5b. the petitions list and search', async (s) => {
  const v = await s.client('visitor');
  await v.visit('/petitions');
  await v.expectPresent('#petition-search');
  await v.expectPresent('#petition-search [name="q"]');
  await v.expectPresent('#petition-search [name="status"]');
  const items = v.page.locator('#petition-list [data-id]');
  assert.ok((await items.count()) > 0, 'the demo data has public petitions in #petition-list');
  const first = v.page.locator('#petition-list [data-id] a[href*="/petitions/"]').first();
  const href = await first.getAttribute('href');
  await v.click('#petition-list [data-id] a[href*="/petitions/"]');
  assert.equal(v.pathname(), new URL(href, v.page.url()).pathname);
  await v.expectPresent('#petition-status[data-status]');
  await v.expectPresent('#signature-count[data-count]');
  await v.expectAbsent('#sign-form input[type=submit], #sign-form button', 'anonymous visitors cannot sign');

  await v.visit('/petitions');
  await v.submit('#petition-search', { q: 'zzzqqqxxxnothing' });
  assert.equal(v.pathname(), '/petitions', 'the search is a GET on /petitions');
  assert.ok(v.path().includes('q=zzzqqqxxxnothing'), 'the query is in the URL');
  assert.equal(await v.page.locator('#petition-list [data-id]').count(), 0, 'a search for nonsense finds nothing');
});

scenario('5c. a moderator rejects a petition with a reason', async (s) => {
  const author = await s.signedIn(USERS.citizen);
  await author.visit('/petitions/new');
  await author.submit('#petition-form', {
    title: `Переименовать улицу в Арысе (${marker})`,
    text: 'Предлагаю переименовать улицу Жибек жолы в Арысе в честь местного учителя.',
    proposals: 'Переименовать улицу решением маслихата.',
    addressee_org_id: 'akimat-arys',
    language: 'ru',
  });
  const page = author.pathname();
  await author.submit('#submit-form');
  assert.equal(await statusOf(author), 'submitted');

  const mod = await s.signedIn(USERS.moderator);
  await mod.visit(page);
  await mod.submit('#take-form');
  const reason = `Вопрос переименования решается по отдельной процедуре. (${marker})`;
  // Without a reason: refused, the form says why.
  await mod.page.locator('#reject-form').evaluate((f) => {
    f.noValidate = true;
  });
  await mod.submit('#reject-form', { reason: '' }, { status: 422 });
  assert.equal(await statusOf(mod), 'in_moderation', 'not rejected without a reason');
  await mod.submit('#reject-form', { reason });
  assert.equal(mod.pathname(), page);
  assert.ok(await mod.notice(), '#notice after rejecting');
  assert.equal(await statusOf(mod), 'rejected', 'status after #reject-form');

  await author.visit(page);
  assert.ok((await author.page.locator('main').innerText()).includes(marker), 'the author sees the reason');
  await author.expectAbsent('#sign-form');
});
