import { scenario, assert } from '../lib/harness.mjs';
scenario('infra: axe loads, violations are reported', async (s) => {
  const c = await s.client('v');
  const r = await c.visit('/api/v1/openapi.json');
  assert.ok(await c.page.evaluate(() => typeof window.axe.run === 'function'));
  assert.equal(c.loads, 1);
});
scenario('infra: failing test gets screenshot', async (s) => {
  const c = await s.client('v');
  await c.visit('/health');
  assert.equal(1, 2, 'deliberate');
});
