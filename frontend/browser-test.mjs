// Browser test of citygrid's map page, run by `cargo xtask browser-test` against the real
// server on the demo district: Debian's headless Chromium (WebGL through SwiftShader) driven by
// playwright-core. It checks that a wrong password is refused in words and the demo dispatcher
// gets in, that the map draws its layers (pixels, not only the DOM), that a click answers with
// the responsible grid cell, that search finds an address, that the language switch works, that
// logging out returns to the form, and that the page logs no errors under its CSP.
// Usage: node browser-test.mjs URL SCREENSHOT
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, screenshot] = process.argv.slice(2);
const fail = (message) => { console.error(`FAIL: ${message}`); process.exitCode = 1; };

const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'citygrid-chromium-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
const errors = [];
try {
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  // A wrong password: refused, in words (the browser logs the 401 itself; that is expected).
  await page.waitForSelector('#username', { timeout: 30000 });
  await page.fill('#username', 'dispatcher');
  await page.fill('#password', 'not the password');
  await page.click('.login-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('.login-form .error')?.textContent.includes('用户名或密码错误'), null, { timeout: 10000 });
  errors.length = 0;
  const started = Date.now();
  await page.fill('#password', 'demo-dispatcher-pass');
  await page.click('.login-form button[type=submit]');
  await page.waitForSelector('#map[data-ready="1"]', { timeout: 60000 });
  if ((await page.getAttribute('.bar .user', 'data-role')) !== 'dispatcher') fail('the header does not show the dispatcher');
  console.log(`map ready with ${await page.getAttribute('#map', 'data-features')} features in ${Date.now() - started} ms`);

  // Pixels: the canvas must hold more than the background colour (grid lines, streets, shops).
  const colours = await page.evaluate(() => {
    const canvas = document.querySelector('#map canvas');
    const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
    const [w, h] = [gl.drawingBufferWidth, gl.drawingBufferHeight];
    const px = new Uint8Array(w * h * 4);
    gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
    const seen = new Set();
    for (let i = 0; i < px.length; i += 4 * 97) seen.add(`${px[i] >> 4},${px[i + 1] >> 4},${px[i + 2] >> 4}`);
    return seen.size;
  });
  if (colours < 5) fail(`the map shows only ${colours} colours: layers are not drawn`);
  await page.screenshot({ path: screenshot.replace(/\.png$/, '-district.png') });

  // A click in the middle of the district answers with its grid cell.
  const box = await page.locator('#map canvas').boundingBox();
  await page.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.5);
  await page.waitForSelector('dl.location', { timeout: 10000 });
  const grid = await page.getAttribute('dl.location', 'data-grid');
  if (!/^340688\d{9}$/.test(grid || '')) fail(`clicking the map gave grid ${grid}`);
  const panel = await page.textContent('dl.location');
  if (!panel.includes('社区')) fail(`the panel is not in Chinese: ${panel}`);

  // Search for an address and pick the first candidate.
  await page.fill('#search', '人民路151号');
  await page.press('#search', 'Enter');
  await page.waitForSelector('.candidates button', { timeout: 10000 });
  const first = await page.textContent('.candidates button');
  if (!first.includes('人民路151号')) fail(`search offered ${first}`);
  await page.click('.candidates button');
  await page.waitForFunction(() => document.querySelector('dl.location')?.textContent.includes('人民路'), null, { timeout: 10000 });

  // English on request.
  await page.click('button.lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 5000 });
  if (!(await page.textContent('.layers legend')).includes('Layers')) fail('the language switch did not change the layer list');

  await page.screenshot({ path: screenshot });

  // Logging out returns to the form; a reload stays logged out.
  await page.click('button.logout');
  await page.waitForSelector('#username', { timeout: 10000 });
  await page.reload();
  await page.waitForSelector('#username', { timeout: 10000 });
  const real = errors.filter((e) => !e.includes('favicon'));
  if (real.length) fail(`console errors: ${real.join(' | ')}`);
} catch (e) {
  fail(e.stack || String(e));
} finally {
  await context.close();
}
if (!process.exitCode) console.log('browser: 1 passed, 0 failed');
