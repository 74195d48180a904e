// The other action forms of an appeal page: extend (with a refused date first), complain, close,
// forward.

import { scenario, assert, USERS, url } from '../lib/harness.mjs';

const marker = `A${Date.now().toString(36)}`;

async function submitAppeal(c, text) {
  await c.visit('/appeals/new');
  await c.submit('#appeal-form', {
    form: 'complaint',
    language: 'ru',
    category_id: 'roads.repair',
    kato: '611600000',
    text,
  });
  const m = c.pathname().match(/^\/appeals\/([^/]+)\/ticket$/);
  assert.ok(m, `after submitting: ${c.path()}`);
  return m[1];
}

async function apiAppeal(c, id) {
  const r = await c.context.request.get(url(`/api/v1/appeals/${id}`), { failOnStatusCode: false });
  assert.ok(r.ok(), `GET /api/v1/appeals/${id}: HTTP ${r.status()}`);
  return r.json();
}

function isoPlus(iso, days) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function weekday(iso) {
  return new Date(`${iso}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
}

scenario('the head extends the term (a refused date first), the official answers, the citizen complains, the official closes', async (s) => {
  const citizen = await s.signedIn(USERS.citizen);
  const id = await submitAppeal(
    citizen,
    `Жалоба: подрядчик оставил разрытую траншею на улице Абая в Арысе без ограждения, ночью там нет освещения. (${marker})`,
  );
  const page = `/appeals/${id}`;

  const o = await s.signedIn(USERS.official);
  await o.visit(page);
  await o.submit('#assign-form');
  assert.equal(await o.attr('#appeal-status', 'data-status'), 'in_review');

  await o.expectAbsent('#extend-form', 'only the head extends a term');

  // The head extends it. A date not later than the current term first: 422, the form says why.
  const h = await s.signedIn(USERS.head);
  await h.visit(page);
  const before = await apiAppeal(h, id);
  const dueText = await h.text('#due-on');
  await h.submit('#extend-form', { new_due_on: before.registered_on, reason: 'Нужна выездная проверка.' }, { status: 422 });
  await h.expectPresent('#appeal-status', 'the refused extension re-renders the appeal page');
  const shownError = (await h.exists('#extend-form .field-error, #extend-form [role="alert"], #extend-form [id$="-error"]')) || (await h.exists('#error-summary'));
  assert.ok(shownError, 'the refused extension shows an error in #extend-form (or #error-summary)');
  assert.equal(await h.attr('#appeal-status', 'data-status'), 'in_review', 'still in review after the refused extension');

  // A later working day within two months of registration.
  let next = isoPlus(before.due_on, 7);
  while ([0, 6].includes(weekday(next))) next = isoPlus(next, 1);
  await h.submit('#extend-form', { new_due_on: next, reason: `Нужна выездная проверка с подрядчиком. (${marker})` }, { status: null });
  if (h.lastStatus === 422) {
    // A public holiday: one working day later.
    next = isoPlus(next, 1);
    while ([0, 6].includes(weekday(next))) next = isoPlus(next, 1);
    await h.submit('#extend-form', { new_due_on: next, reason: `Нужна выездная проверка с подрядчиком. (${marker})` });
  }
  assert.equal(h.lastStatus, 200);
  assert.ok(await h.notice(), '#notice after the extension');
  assert.equal(await h.attr('#appeal-status', 'data-status'), 'extended', 'status after #extend-form');
  assert.notEqual(await h.text('#due-on'), dueText, '#due-on shows the new term');
  assert.equal((await apiAppeal(h, id)).due_on, next, 'the new term is stored');

  await o.visit(page);
  await o.submit('#answer-form', { text: `Траншея ограждена, освещение установлено, работы завершатся до конца месяца. (${marker})` });
  assert.equal(await o.attr('#appeal-status', 'data-status'), 'answered');

  // The citizen is not satisfied.
  await citizen.visit(page);
  await citizen.expectPresent('#complain-form');
  await citizen.submit('#complain-form', { text: `Ограждение поставили, но освещения по-прежнему нет. (${marker})` });
  // The complaint is registered as an appeal of its own: the page goes to its ticket (the page
  // contract said back to /appeals/{id}; pages/appeals.rs act() sends to the new ticket).
  assert.ok(await citizen.notice(), '#notice after the complaint');
  const landed = citizen.pathname();
  if (landed !== page) {
    const m = landed.match(/^\/appeals\/([^/]+)\/ticket$/);
    assert.ok(m, `after #complain-form: ${citizen.path()}`);
    assert.ok((await citizen.text('#reg-no')).length > 0, 'the complaint has a registration number');
    await citizen.click('a#appeal-link');
    assert.ok((await citizen.text('#appeal-text')).includes(marker), 'the complaint\'s text');
    await citizen.visit(page);
  }
  assert.equal(await citizen.attr('#appeal-status', 'data-status'), 'complained', 'status after #complain-form');
  await citizen.expectAbsent('#complain-form', 'complained once');
  await citizen.expectAbsent('#close-form', 'the citizen does not close');
  const events = await citizen.page.locator('#timeline > li').count();
  assert.ok(events >= 5, `#timeline has registration, review, extension, answer and complaint (${events} items)`);

  // The body closes the case.
  await o.visit(page);
  await o.expectPresent('#close-form', 'an official may close a complained appeal');
  await o.submit('#close-form', { reason: `Жалоба передана вышестоящему органу. (${marker})` });
  assert.equal(o.pathname(), page);
  assert.ok(await o.notice(), '#notice after closing');
  assert.equal(await o.attr('#appeal-status', 'data-status'), 'closed', 'status after #close-form');
  for (const f of ['#assign-form', '#answer-form', '#forward-form', '#extend-form', '#close-form', '#leave-form']) {
    await o.expectAbsent(f, 'nothing to do on a closed appeal');
  }
});

scenario('an official forwards an appeal to another body', async (s) => {
  const citizen = await s.signedIn(USERS.citizen);
  const id = await submitAppeal(citizen, `Прошу проверить законность начисления платы за вывоз мусора в Арысе. (${marker})`);
  const page = `/appeals/${id}`;

  const o = await s.signedIn(USERS.official);
  await o.visit(page);
  await o.expectPresent('#forward-form select[name="org_id"]');
  const own = (await apiAppeal(o, id)).org_id;
  const orgs = await o.page.locator('#forward-form select[name="org_id"] option').evaluateAll((os) => os.map((x) => x.value).filter(Boolean));
  const target = orgs.find((x) => x !== own && x !== 'akimat-arys');
  assert.ok(target, `#forward-form offers another body (has ${orgs.length})`);
  await o.submit('#forward-form', { org_id: target, reason: `Вопрос тарифов в компетенции другого органа. (${marker})` }, { status: null });
  assert.ok([200, 404, 403].includes(o.lastStatus), `after forwarding: HTTP ${o.lastStatus}`);
  if (o.lastStatus === 200 && o.pathname() === page) {
    assert.ok(await o.notice(), '#notice after forwarding');
    assert.equal(await o.attr('#appeal-status', 'data-status'), 'forwarded', 'status after #forward-form');
    await o.expectAbsent('#answer-form', 'forwarded away: no answering');
  }
  await o.visit('/office/queue');
  await o.expectAbsent(`#queue tr[data-id="${decodeURIComponent(id)}"]`, 'a forwarded appeal leaves the queue of the body that forwarded it');

  await citizen.visit(page);
  assert.equal(await citizen.attr('#appeal-status', 'data-status'), 'forwarded', 'the citizen sees it forwarded');
  assert.equal((await apiAppeal(citizen, id)).org_id, target, 'the appeal is with the new body');
});

scenario('an official leaves an appeal without consideration', async (s) => {
  const citizen = await s.signedIn(USERS.citizen);
  const id = await submitAppeal(citizen, `ааааа ааааа ааааа (${marker})`);
  const page = `/appeals/${id}`;
  const o = await s.signedIn(USERS.official);
  await o.visit(page);
  await o.expectPresent('#leave-form select[name="reason"]');
  const reasons = await o.page.locator('#leave-form select[name="reason"] option').evaluateAll((os) => os.map((x) => x.value).filter(Boolean));
  assert.ok(reasons.length > 0, '#leave-form offers reasons');
  await o.submit('#leave-form', { reason: reasons[0], comment: `Текст не содержит сути обращения. (${marker})` });
  assert.equal(o.pathname(), page);
  assert.ok(await o.notice(), '#notice after leaving without consideration');
  assert.equal(await o.attr('#appeal-status', 'data-status'), 'left_without_consideration');
  await citizen.visit(page);
  assert.equal(await citizen.attr('#appeal-status', 'data-status'), 'left_without_consideration', 'the citizen sees the outcome');
});
