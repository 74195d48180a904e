// Scenarios 1–4 and 6: one appeal from submission in Kazakh to the citizen's rating, counted in
// the statistics; another citizen cannot open it. The scenarios share the appeal (node --test
// runs a file's tests in order); a later one is skipped when an earlier one did not produce it.

import { scenario, assert, eventually, USERS } from '../lib/harness.mjs';

const marker = `T${Date.now().toString(36)}`;
const KK_TEXT =
  `Арыс қаласы, Жібек жолы көшесіндегі жол төсемі қатты бұзылған: көктемнен бері шұңқырлар ` +
  `жөнделмеді, көліктер зақымдалуда. Жөндеу жұмыстарын жүргізуді сұраймын. (${marker})`;
const KK_ANSWER =
  `Құрметті өтініш беруші! Жібек жолы көшесіндегі жолды жөндеу жұмыстары ағымдағы айдың ` +
  `соңына дейін жүргізіледі. (${marker})`;
const RATE_COMMENT = `Рахмет, жауап толық. (${marker})`;

const shared = {
  statsBefore: null,
  appealId: null,
  regNo: null,
  citizenState: null, // the citizen's cookies, reused by later scenarios
};

async function statsCount(c) {
  await c.visit('/statistics');
  const raw = await c.attr('#stat-total-appeals', 'data-count');
  const n = Number(raw);
  assert.ok(raw !== null && Number.isInteger(n) && n >= 0, `#stat-total-appeals data-count is not a count: ${JSON.stringify(raw)}`);
  return n;
}

async function timelineLength(c) {
  return c.page.locator('#timeline > li').count();
}

async function statusOf(c) {
  return c.attr('#appeal-status', 'data-status');
}

scenario('1. a citizen submits an appeal in Kazakh and gets a ticket', async (s) => {
  const visitor = await s.client('visitor');
  shared.statsBefore = await statsCount(visitor);

  const c = await s.client('citizen');
  const landed = await c.signIn(USERS.citizen);
  assert.equal(landed, '/my/appeals', 'a citizen lands on /my/appeals after signing in');

  // Switch the interface to Kazakh with the header link.
  await c.click('a[hreflang="kk"]');
  assert.equal(await c.htmlLang(), 'kk', 'the kk link switches <html lang>');
  assert.equal(c.pathname(), '/my/appeals', 'the language link returns to the page it was clicked on');

  await c.visit('/appeals/new');
  assert.equal(await c.htmlLang(), 'kk');
  await c.expectPresent('#appeal-form input[type=hidden][name="csrf"]');
  await c.expectPresent('#appeal-form input[type=hidden][name="idem"]');
  await c.submit('#appeal-form', {
    form: 'application',
    language: 'kk',
    category_id: 'roads.repair',
    kato: '611600000',
    text: KK_TEXT,
  });
  const m = c.pathname().match(/^\/appeals\/([^/]+)\/ticket$/);
  assert.ok(m, `after submitting, expected /appeals/{id}/ticket, got ${c.path()}`);
  const id = decodeURIComponent(m[1]);
  assert.equal(await c.htmlLang(), 'kk', 'the ticket is in Kazakh too');

  const regNo = await c.text('#reg-no');
  assert.ok(regNo.length > 0, '#reg-no is empty');
  assert.ok((await c.text('#ticket-number')).length > 0, '#ticket-number is empty');
  assert.ok((await c.text('#due-on')).length > 0, '#due-on is empty');
  const href = await c.attr('a#appeal-link', 'href');
  assert.equal(new URL(href, c.page.url()).pathname, `/appeals/${m[1]}`, 'a#appeal-link points to the appeal');

  await c.click('a#appeal-link');
  assert.equal(c.pathname(), `/appeals/${m[1]}`);
  assert.equal(await c.attr('#appeal-text', 'lang'), 'kk', '#appeal-text carries the appeal language');
  assert.ok((await c.text('#appeal-text')).includes(marker), '#appeal-text shows the submitted text');
  const status = await statusOf(c);
  assert.ok(['registered', 'forwarded'].includes(status), `a new appeal is registered or forwarded, data-status=${status}`);
  assert.ok((await timelineLength(c)) >= 1, '#timeline has the registration event');
  await c.expectAbsent('#answer-text', 'not answered yet');
  await c.expectAbsent('#rate-form', 'nothing to rate yet');

  await c.visit('/my/appeals');
  await c.expectPresent(`#my-appeals tr[data-id="${id}"]`, 'the new appeal is in the citizen\'s list');
  const rowLink = c.page.locator(`#my-appeals tr[data-id="${id}"] a[href$="/appeals/${m[1]}"]`);
  assert.ok((await rowLink.count()) > 0, 'the row links to /appeals/{id}');
  assert.ok((await c.page.locator(`#my-appeals tr[data-id="${id}"]`).innerText()).includes(regNo), 'the row shows the registration number');

  shared.appealId = id;
  shared.regNo = regNo;
  shared.citizenState = await c.context.storageState();
});

scenario('2. an official takes the appeal into review and answers it', async (s, t) => {
  if (!shared.appealId) return t.skip('needs the appeal of scenario 1');
  const id = shared.appealId;
  const o = await s.client('official');
  const landed = await o.signIn(USERS.official);
  assert.equal(landed, '/office/queue', 'an official lands on /office/queue after signing in');

  const row = `#queue tr[data-id="${id}"]`;
  await o.expectPresent(row, 'the roads.repair appeal in territory 611600000 reaches the Arys akimat\'s queue');
  assert.equal(await o.attr(row, 'data-reg-no'), shared.regNo, 'data-reg-no of the queue row');
  const link = `${row} a[href*="/appeals/${encodeURIComponent(id)}"]`;
  if (await o.exists(link)) await o.click(link);
  else await o.visit(`/appeals/${encodeURIComponent(id)}`);
  assert.equal(o.pathname(), `/appeals/${encodeURIComponent(id)}`);
  assert.equal(await o.attr('#appeal-text', 'lang'), 'kk');

  const events0 = await timelineLength(o);
  await o.expectPresent('#assign-form', 'the official may take the appeal');
  await o.submit('#assign-form');
  assert.equal(o.pathname(), `/appeals/${encodeURIComponent(id)}`, 'an action redirects back to the appeal');
  assert.ok(await o.notice(), '#notice after taking the appeal');
  assert.equal(await statusOf(o), 'in_review', 'status after #assign-form');
  assert.ok((await timelineLength(o)) > events0, 'the timeline grew');

  await o.expectPresent('#answer-form');
  await o.submit('#answer-form', { text: KK_ANSWER });
  assert.equal(o.pathname(), `/appeals/${encodeURIComponent(id)}`);
  assert.ok(await o.notice(), '#notice after answering');
  assert.equal(await statusOf(o), 'answered', 'status after #answer-form');
  assert.ok((await o.text('#answer-text')).includes(marker), '#answer-text shows the answer');
  await o.expectAbsent('#answer-form', 'already answered');
  await o.expectAbsent('#rate-form', 'only the applicant rates');
});

scenario('3. the citizen rates the answer', async (s, t) => {
  if (!shared.appealId || !shared.citizenState) return t.skip('needs the appeal of scenario 1');
  const id = encodeURIComponent(shared.appealId);
  const c = await s.client('citizen', { storageState: shared.citizenState });
  await c.visit(`/appeals/${id}`);
  assert.equal(await c.htmlLang(), 'kk', 'the language chosen in scenario 1 is remembered');
  const status = await statusOf(c);
  if (status !== 'answered') return t.skip(`needs the answer of scenario 2 (data-status=${status})`);
  assert.ok((await c.text('#answer-text')).includes(marker), 'the citizen sees the answer');
  await c.expectPresent('#rate-form');
  const scores = await c.page.locator('#rate-form input[type=radio][name="score"]').evaluateAll((els) => els.map((e) => e.value));
  assert.deepEqual(scores, ['1', '2', '3', '4', '5'], 'score radios 1..5');
  await c.submit('#rate-form', { score: '5', comment: RATE_COMMENT });
  assert.equal(c.pathname(), `/appeals/${id}`);
  assert.ok(await c.notice(), '#notice after rating');
  assert.equal(await statusOf(c), 'rated', 'status after #rate-form');
  await c.expectAbsent('#rate-form', 'rated once');
});

scenario('4. the statistics page counts the appeal', async (s, t) => {
  if (!shared.appealId || shared.statsBefore === null) return t.skip('needs the appeal of scenario 1');
  const v = await s.client('visitor');
  // The public figures are served from memory for a moment (statistics_cache_ms, 2 s by default).
  let after = null;
  await eventually(async () => (after = await statsCount(v)) !== shared.statsBefore, { timeout: 15000, interval: 2000 }).catch(() => {});
  assert.equal(after, shared.statsBefore + 1, `#stat-total-appeals data-count: ${shared.statsBefore} before, ${after} after one new appeal (waited up to 15 s)`);
  const charts = v.page.locator('figure.chart');
  assert.ok((await charts.count()) > 0, 'figure.chart charts on /statistics');
  const n = await charts.count();
  for (let i = 0; i < n; i++) {
    const f = charts.nth(i);
    assert.ok((await f.locator('svg[role="img"]').count()) > 0, `chart ${i + 1} has an svg[role=img]`);
    assert.ok((await f.locator('table').count()) > 0, `chart ${i + 1} has a table alternative`);
  }
  const csv = await v.page.locator('a[href*=".csv"]').count();
  assert.ok(csv > 0, 'links to the open-data CSV files');
});

scenario('6. a citizen cannot open another citizen\'s appeal', async (s, t) => {
  if (!shared.appealId) return t.skip('needs the appeal of scenario 1');
  const id = encodeURIComponent(shared.appealId);
  const other = await s.secondCitizen();
  await other.visit(`/appeals/${id}`, { status: 404 });
  assert.ok(await other.attr('main', 'data-code'), 'main[data-code] on the not-found page');
  assert.equal(await other.page.locator('h1').count(), 1, 'one <h1> on the not-found page');
  const body = await other.page.content();
  assert.ok(!body.includes(marker), 'the appeal text is not on the not-found page');
  assert.ok(!body.includes(shared.regNo), 'the registration number is not on the not-found page');
  await other.expectAbsent('#appeal-text');

  await other.visit(`/appeals/${id}/ticket`, { status: null });
  assert.ok([403, 404].includes(other.lastStatus), `another citizen's ticket: HTTP ${other.lastStatus}, expected 404 (or 403)`);
  assert.ok(!(await other.page.content()).includes(shared.regNo), 'the registration number is not on another citizen\'s ticket page');

  await other.visit('/my/appeals');
  await other.expectAbsent(`#my-appeals tr[data-id="${shared.appealId}"]`, 'not in the other citizen\'s list');
});
