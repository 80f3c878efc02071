// Browser test of citygrid's web app, run by `cargo xtask browser-test` against the real server
// on the demo district: Debian's headless Chromium (WebGL through SwiftShader) driven by
// playwright-core. Each role does its daily work in the browser, and every check looks at what
// a person would see — pixels of the map, not only the DOM. Screenshots go to the folder given.
// Usage: node browser-test.mjs URL SCREENSHOT_DIR [TILED_URL]
// TILED_URL: a second demo server started with GCJ-02 background tiles on
// https://tiles.citygrid.test, which this test answers itself.
import { chromium } from 'playwright-core';
import { mkdirSync, statSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const [url, shots, tiledUrl] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const api = new URL('/api/v1/', url).href;
let failures = 0;
let passed = 0;
const fail = (message) => { console.error(`FAIL: ${message}`); failures += 1; };
const figures = {};

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});

// A bearer session for setting the scene over the API.
async function token(username, password) {
  const r = await fetch(api + 'login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return (await r.json()).token;
}
async function call(bearer, method, path, body) {
  const r = await fetch(api + path, { method, headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

// A new page at the login form, nobody logged in; console errors (but the 401 of asking who is
// logged in) are collected.
async function loginPage(locale) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('401')) page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('#username', { timeout: 30000 });
  return page;
}

// A new page logged in as `username`; console errors are collected.
async function open(username, password, options = {}, at = url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
  const page = await context.newPage();
  page.tiles = 0;
  await page.route('https://tiles.citygrid.test/**', (route) => {
    page.tiles += 1;
    route.fulfill({ contentType: 'image/png', body: TILE });
  });
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('401')) page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(at);
  await page.waitForSelector('#username', { timeout: 30000 });
  await page.fill('#username', username);
  await page.fill('#password', password);
  const started = Date.now();
  // The keyboard logs in as well as the mouse.
  await page.press('#password', 'Enter');
  await page.waitForSelector('#map[data-ready="1"]', { timeout: 60000 });
  page.readyIn = Date.now() - started;
  page.startedAt = started;
  return page;
}

// Distinct colours on the map's canvas (sampled), and how many pixels match a test.
async function pixels(page, test = '() => false') {
  return page.evaluate((testSource) => {
    const matches = eval(testSource);
    const canvas = document.querySelector('#map canvas');
    const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
    const [w, h] = [gl.drawingBufferWidth, gl.drawingBufferHeight];
    const px = new Uint8Array(w * h * 4);
    gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
    const seen = new Set();
    let matching = 0;
    for (let i = 0; i < px.length; i += 4 * 7) {
      seen.add(`${px[i] >> 4},${px[i + 1] >> 4},${px[i + 2] >> 4}`);
      if (matches(px[i], px[i + 1], px[i + 2])) matching += 1;
    }
    return { colours: seen.size, matching };
  }, test);
}

async function step(name, work) {
  try {
    await work();
    passed += 1;
    console.log(`ok: ${name}`);
  } catch (e) {
    fail(`${name}: ${e.stack || e}`);
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// Controls a screen reader cannot name: inputs without a label, buttons without words.
async function unlabelled(page) {
  return page.evaluate(() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href]')]
    .filter((e) => e.offsetParent !== null)
    .filter((e) => !(e.getAttribute('aria-label') || e.getAttribute('title') || (e.labels && e.labels.length)
      || (['BUTTON', 'A'].includes(e.tagName) && e.textContent.trim())))
    .map((e) => e.outerHTML.slice(0, 80)));
}

// Closes the page; it must have logged no errors but the `expected` ones (a refused request
// the browser reports itself).
async function done(page, expected = []) {
  const nameless = await unlabelled(page);
  check(nameless.length === 0, `controls without a label: ${nameless.join(' | ')}`);
  const errors = page.errors.filter((e) => !e.includes('favicon') && !expected.some((x) => e.includes(x)));
  check(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await page.context().close();
}

// A background tile: 8×8, light sand.
const TILE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGP4/OoaVsQwtCQAhvWswYA2J4MAAAAASUVORK5CYII=', 'base64');

const supervisor = await token('supervisor', 'demo-supervisor-pass');
const dispatcher = await token('dispatcher', 'demo-dispatcher-pass');

await step('a wrong password is refused in words, and a language chosen before logging in is kept', async () => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('#username', { timeout: 30000 });
  await page.fill('#username', 'dispatcher');
  await page.fill('#password', 'not the password');
  await page.click('.login-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('.login-form .error')?.textContent.includes('用户名或密码错误'), null, { timeout: 10000 });
  // English chosen on the login page is kept after logging in.
  await page.click('button.lang');
  await page.fill('#username', 'leader');
  await page.fill('#password', 'demo-leader-pass');
  await page.click('.login-form button[type=submit]');
  await page.waitForSelector('.menu', { timeout: 20000 });
  check((await page.textContent('.menu')).includes('Case map'), 'the language chosen on the login page was lost');
  await context.close();
});

await step('the case map draws every base layer and a year of cases, clustered, with filters', async () => {
  const page = await open('admin', 'demo-admin-pass');
  await page.waitForSelector('#map[data-cases-ready="1"]', { timeout: 60000 });
  // From the login click: the base layers drawn, then a year of cases drawn too.
  figures.baseMapMs = page.readyIn;
  figures.mapWithCasesMs = Date.now() - page.startedAt;
  const cases = Number(await page.getAttribute('#map', 'data-cases'));
  const features = Number(await page.getAttribute('#map', 'data-features'));
  figures.casesOnMap = cases;
  check(cases > 10000, `only ${cases} cases on the map`);
  check(features > 2000, `only ${features} base-layer features`);
  check((await page.textContent('.bar .district')).includes('相城区'), 'the header does not name the district');
  check((await page.textContent('.bar .tz')).includes('Asia/Shanghai'), 'the header does not give the time zone');
  const { colours, matching } = await pixels(page, '(r, g, b) => b > 200 && r < 120');
  check(colours >= 8, `the map shows only ${colours} colours`);
  check(matching > 50, `no blue case clusters drawn (${matching} pixels)`);
  // The map reads: street and community names and counts on clusters drawn on the canvas, a
  // legend in Chinese; grid codes once zoomed in to a few blocks.
  const drawn = await page.evaluate(() => window.citygridMap.labelsDrawn());
  check(drawn.streets > 0 && drawn.communities > 0 && drawn.clusters > 0, `labels drawn on the map: ${JSON.stringify(drawn)}`);
  const legend = await page.textContent('.map-legend');
  check(['图例', '已超期', '派遣', '严禁区'].every((w) => legend.includes(w)), `the map's legend: ${legend}`);
  await page.screenshot({ path: join(shots, 'case-map.png') });
  await page.evaluate(() => window.citygridMap.jumpTo(116.7935, 33.9497, 16.5));
  await page.waitForFunction(() => window.citygridMap.labelsDrawn().grids > 0, null, { timeout: 10000 });
  await page.screenshot({ path: join(shots, 'case-map-street.png') });
  // From navigation (a returning user, session live) to every base layer and a year of cases
  // drawn: the median of three.
  const runs = [];
  for (let i = 0; i < 3; i += 1) {
    const t0 = Date.now();
    await page.reload();
    await page.waitForSelector('#map[data-cases-ready="1"]', { timeout: 60000 });
    runs.push(Date.now() - t0);
  }
  figures.navigationToMapWithCasesMs = runs.sort((a, b) => a - b)[1];
  // Places are offered by name while typing them.
  await page.focus('input[name=community]');
  await page.waitForFunction(() => document.querySelectorAll('#community-names option').length > 0, null, { timeout: 5000 });
  const offered = await page.$$eval('#community-names option', (o) => o.map((x) => x.value));
  check(offered.includes('古城社区'), `communities offered: ${offered.slice(0, 5)}`);
  // Filters: only overdue cases, then a category.
  await page.check('input[name=overdue]');
  await page.waitForFunction((n) => Number(document.querySelector('#map').dataset.cases) < n && document.querySelector('#map').dataset.casesReady === '1', cases, { timeout: 20000 });
  const overdue = Number(await page.getAttribute('#map', 'data-cases'));
  // Cleared and ticked again at once: the slow answer for every case arrives after the quick
  // overdue one, and only the latest filter's answer is drawn.
  await page.evaluate(() => {
    const box = document.querySelector('input[name=overdue]');
    box.click();
    box.click();
  });
  await page.waitForTimeout(4000);
  await page.waitForSelector('#map[data-cases-ready="1"]', { timeout: 20000 });
  const drawnNow = Number(await page.getAttribute('#map', 'data-cases'));
  check(drawnNow === overdue && await page.isChecked('input[name=overdue]'), `with 只看超期 ticked the map shows ${drawnNow} cases, not the ${overdue} overdue`);
  await page.uncheck('input[name=overdue]');
  await page.selectOption('select[name=category]', '0501');
  await page.waitForFunction((n) => { const m = document.querySelector('#map'); return m.dataset.casesReady === '1' && Number(m.dataset.cases) < n && Number(m.dataset.cases) > 100; }, cases, { timeout: 20000 });
  await page.selectOption('select[name=category]', '');
  // Smoothness: frames per second while zooming over a year of cases, against the same zoom
  // over the base layers alone (no cases), in this run.
  await page.waitForSelector('#map[data-cases-ready="1"]', { timeout: 60000 });
  figures.zoomFpsWithCases = Math.round(await page.evaluate(() => window.citygridMap.measureZoom()));
  await page.fill('input[name=from]', '2099-01-01');
  await page.dispatchEvent('input[name=from]', 'change');
  await page.waitForFunction(() => document.querySelector('#map').dataset.cases === '0', null, { timeout: 10000 });
  figures.zoomFpsBaseLayersOnly = Math.round(await page.evaluate(() => window.citygridMap.measureZoom()));
  await done(page);
});

let queued;
await step('the dispatcher sees a new case arrive live, opens it and assigns the nearest officer in one click', async () => {
  const page = await open('dispatcher', 'demo-dispatcher-pass');
  check((await page.getAttribute('.bar .user', 'data-role')) === 'dispatcher', 'the header does not show the dispatcher');
  await page.waitForSelector('.dispatch h2', { timeout: 10000 });
  // A supervisor reports a case while the dispatcher watches.
  const made = await call(supervisor, 'POST', 'cases', { category: '0501', source: 'patrol', lon: 116.7935, lat: 33.9497, description: '浏览器测试：占道经营' });
  check(made.status === 201, `reporting a case: ${made.status} ${JSON.stringify(made.body)}`);
  queued = made.body.case.id;
  await page.waitForSelector(`.case-list button[data-case="${queued}"]`, { timeout: 15000 });
  await page.click(`.case-list button[data-case="${queued}"]`);
  await page.waitForSelector('.ranked li', { timeout: 15000 });
  await page.waitForSelector('.case-card .history li', { timeout: 10000 });
  const detail = await page.textContent('.case-card');
  check(detail.includes('惠黎社区') || detail.includes('社区'), `the case shows no community: ${detail.slice(0, 200)}`);
  await page.waitForFunction(() => Number(document.querySelector('#map').dataset.candidates) > 0, null, { timeout: 10000 });
  // Each candidate's rank and ETA is written on the map beside them.
  await page.waitForSelector('.eta-label.first', { timeout: 10000 });
  check((await page.textContent('.eta-label.first')).includes('分钟'), 'the first candidate has no ETA on the map');
  const { matching } = await pixels(page, '(r, g, b) => g > 150 && r < 100 && b < 120');
  check(matching > 20, `no candidates drawn in green (${matching} pixels)`);
  await page.screenshot({ path: join(shots, 'dispatcher-candidates.png') });
  const first = await page.getAttribute('.ranked li', 'data-officer');
  const firstName = await page.textContent('.ranked li strong');
  check(firstName && !/^ZF\d+$/.test(firstName.trim()), `the first candidate is named ${firstName}`);
  // Dispatching is asked first: "no" sends nobody, "yes" sends the officer.
  page.once('dialog', (d) => d.dismiss());
  await page.click('.ranked li button.assign');
  await page.waitForTimeout(300);
  check((await call(dispatcher, 'GET', `cases/${queued}`)).body.status !== 'dispatched', 'a dismissed confirmation still dispatched');
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.accept(); });
  await page.click('.ranked li button.assign');
  await page.waitForSelector('.candidates-panel p.ok', { timeout: 10000 });
  check(asked.includes('确认派遣给') && asked.includes(first), `the confirmation does not name the officer: ${asked}`);
  const after = await call(dispatcher, 'GET', `cases/${queued}`);
  check(after.body.status === 'dispatched' && after.body.assignee === first, `the case is ${after.body.status} to ${after.body.assignee}, not dispatched to ${first}`);
  // An old 派遣 button clicked again is refused in words, in Chinese, not as a bare 409.
  page.once('dialog', (d) => d.accept());
  await page.click('.ranked li button.assign');
  await page.waitForSelector('.candidates-panel p.error', { timeout: 10000 });
  const refused = await page.textContent('.candidates-panel p.error');
  check(/[\u4e00-\u9fff]/.test(refused) && !refused.includes('409'), `a second dispatch is refused as ${refused}`);
  page.errors = page.errors.filter((e) => !e.includes('409'));
  // It leaves the queue.
  await page.waitForFunction((id) => !document.querySelector(`.case-list button[data-case="${id}"]`), queued, { timeout: 10000 });
  check((await unlabelled(page)).length === 0, `controls without a label: ${await unlabelled(page)}`);
  // An officer's new fix moves them on the dispatcher's map, live.
  const admin = await token('admin', 'demo-admin-pass');
  const moved = await call(admin, 'POST', 'officers/ZF0005/positions', { lon: 116.7999, lat: 33.9466, accuracy_m: 5 });
  check(moved.status < 300, `posting a fix: ${moved.status} ${JSON.stringify(moved.body)}`);
  await page.waitForFunction(() => window.citygridMap.officers().some((o) => o.code === 'ZF0005' && Math.abs(o.lon - 116.7999) < 1e-9), null, { timeout: 10000 });
  // The menu works from the keyboard.
  await page.focus('.menu [data-view=map]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('fieldset.filters', { timeout: 10000 });
  await done(page);
});

await step("the planner's hot spot map colours cells, the history chart and the heat surface draw", async () => {
  const page = await open('planner', 'demo-planner-pass');
  await page.waitForFunction(() => Number(document.querySelector('#map').dataset.analysis) > 0, null, { timeout: 30000 });
  await page.waitForTimeout(500);
  const hot = await pixels(page, '(r, g, b) => r > 150 && g < 110 && b < 110');
  check(hot.matching > 100, `no hot cells coloured (${hot.matching} pixels)`);
  await page.screenshot({ path: join(shots, 'planner-hotspots.png') });
  await page.click('.places li button');
  await page.waitForSelector('.history-chart rect', { timeout: 10000 });
  check((await page.locator('.history-chart rect').count()) >= 6, 'the history chart has too few months');
  // One month on the time slider.
  await page.fill('.slider input', '5');
  await page.waitForFunction(() => document.querySelector('.slider output').textContent.match(/\d{4}-\d{2}/), null, { timeout: 5000 });
  await page.click('input[name=analysis] >> nth=1');
  await page.waitForFunction(() => Number(document.querySelector('#map').dataset.analysis) > 0, null, { timeout: 30000 });
  await page.click('input[name=analysis] >> nth=2');
  await page.waitForTimeout(1500);
  // The heat scale carries numbers: 0, half and the highest density.
  await page.waitForFunction(() => document.querySelectorAll('.heat-scale span').length === 3, null, { timeout: 10000 });
  const ticks = await page.locator('.heat-scale span').allTextContents();
  check(Number(ticks[2]) > Number(ticks[1]) && Number(ticks[1]) > 0, `the heat scale reads ${ticks}`);
  check(!(await page.isVisible('.map-legend')), 'the case legend covers the planner map');
  const heat = await pixels(page, '(r, g, b) => r > 200 && g < 140 && b < 90');
  check(heat.matching > 100, `no heat surface drawn (${heat.matching} pixels)`);
  await page.screenshot({ path: join(shots, 'planner-heat.png') });
  // The quarterly report and the evaluation tables.
  await page.click('.menu [data-view=reports]');
  await page.waitForSelector('.report[data-received]', { timeout: 20000 });
  check(Number(await page.getAttribute('.report', 'data-received')) > 1000, 'the quarterly report counts too few cases');
  await page.waitForSelector('.ratios tbody tr', { timeout: 20000 });
  check((await page.getAttribute('.toolbar a >> nth=0', 'href')).includes('format=csv&lang=zh'), 'no CSV export in Chinese');
  await page.screenshot({ path: join(shots, 'reports.png'), fullPage: true });
  await done(page);
});

await step('the officer, on a phone, handles a task with a photo and reports a new case from where they stand', async () => {
  const made = await call(supervisor, 'POST', 'cases', { category: '0101', source: 'patrol', lon: 116.7902, lat: 33.9535, description: '浏览器测试：暴露垃圾' });
  const id = made.body.case.id;
  await call(dispatcher, 'POST', `cases/${id}/transitions`, { action: 'register' });
  const sent = await call(dispatcher, 'POST', `cases/${id}/transitions`, { action: 'dispatch', assignee: 'ZF0001' });
  check(sent.status === 200, `dispatching to ZF0001: ${sent.status} ${JSON.stringify(sent.body)}`);
  const page = await open('officer', 'demo-officer-pass', {
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
    geolocation: { longitude: 116.7921, latitude: 33.9511, accuracy: 8 }, permissions: ['geolocation'],
  });
  await page.waitForSelector(`.task[data-case="${id}"]`, { timeout: 15000 });
  // The phone's screen has no dead band: the map and the panel fill what the header leaves.
  const gap = await page.evaluate(() => {
    const body = document.querySelector('main.body').getBoundingClientRect();
    const used = ['#map', 'aside.side'].reduce((n, s) => n + document.querySelector(s).getBoundingClientRect().height, 0);
    return Math.round(body.height - used);
  });
  check(Math.abs(gap) <= 2, `${gap} px of the phone's screen are left empty`);
  // The officer's own position is on their map, which comes to it.
  await page.waitForSelector('#map[data-self] .self-mark', { timeout: 15000 });
  check((await page.getAttribute('#map', 'data-self')).startsWith('116.792100,33.951100'), 'the officer is not where the phone says');
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  await page.screenshot({ path: join(shots, 'officer-phone.png') });
  // Handling is a small form: picking a photo shows it and closes nothing; the note and the
  // confirmation do.
  const task = `.task[data-case="${id}"]`;
  // Asking for more time: a later deadline and a reason; the deadline itself stays until the
  // dispatcher extends it.
  const before = (await call(dispatcher, 'GET', `cases/${id}`)).body.deadline;
  const until = await page.evaluate((d) => {
    const t = new Date(new Date(d).getTime() + 2 * 86400e3);
    const p = (n) => String(n).padStart(2, '0');
    return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}T${p(t.getHours())}:${p(t.getMinutes())}`;
  }, before);
  await page.click(`${task} button.ask-time`);
  await page.fill(`${task} .extension-form input[name=until]`, until);
  await page.click(`${task} button.confirm-ask`);
  await page.waitForSelector(`${task} p.error`, { timeout: 5000 });
  check((await page.textContent(`${task} p.error`)).includes('原因'), 'asking for time without a reason is not refused in words');
  await page.fill(`${task} .extension-form input[name=why]`, '等待商户配合');
  await page.click(`${task} button.confirm-ask`);
  await page.waitForFunction(() => (document.querySelector('.officer p.task-done') || {}).textContent?.includes('申请延期'), null, { timeout: 10000 });
  await page.waitForSelector(`${task} button.handle`, { timeout: 10000 });
  const asked = await call(dispatcher, 'GET', `cases/${id}`);
  const last = asked.body.events[asked.body.events.length - 1];
  check(last.action === 'request_extension' && last.note === '等待商户配合' && asked.body.deadline === before, `after asking for time: ${JSON.stringify(last)}`);
  await page.click(`${task} button.handle`);
  await page.click(`${task} button.confirm-handled`);
  await page.waitForSelector(`${task} p.error`, { timeout: 5000 });
  check((await page.textContent(`${task} p.error`)).includes('照片'), 'handling without a photo is not refused in words');
  await page.setInputFiles(`${task} .handled-photo`, { name: 'done.png', mimeType: 'image/png', buffer: png });
  await page.waitForSelector(`${task} img.preview`, { timeout: 5000 });
  check((await call(dispatcher, 'GET', `cases/${id}`)).body.status === 'dispatched', 'picking a photo handled the task at once');
  await page.fill(`${task} .handle-form input[name=note]`, '已清理完毕');
  await page.screenshot({ path: join(shots, 'officer-handle.png') });
  await page.click(`${task} button.confirm-handled`);
  await page.waitForFunction((cid) => !document.querySelector(`.task[data-case="${cid}"]`), id, { timeout: 15000 });
  const after = await call(dispatcher, 'GET', `cases/${id}`);
  check(after.body.status === 'handled', `the task is ${after.body.status}, not handled`);
  check(after.body.events.some((e) => e.action === 'handle' && e.photo && e.note === '已清理完毕'), 'the handling has no photo or note');
  // A new report with the phone's position.
  await page.selectOption('.new-report select[name=category]', '0201');
  await page.fill('.new-report input[name=description]', '电线杆小广告');
  await page.click('.new-report button.locate');
  await page.waitForFunction(() => document.querySelector('.new-report .position output').textContent.includes('116.79'), null, { timeout: 10000 });
  await page.click('.new-report button[type=submit]');
  await page.waitForSelector('.new-report p.ok', { timeout: 10000 });
  const reported = Number((await page.textContent('.new-report p.ok')).match(/#(\d+)/)[1]);
  // The form is emptied (no second report by mistake) and the confirmation is in view.
  check((await page.inputValue('.new-report select[name=category]')) === '', 'the category stays filled in after the report');
  check((await page.inputValue('.new-report input[name=description]')) === '', 'the description stays filled in after the report');
  const inView = await page.$eval('.new-report p.ok', (e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; });
  check(inView, 'the confirmation is off screen');
  const fresh = await call(dispatcher, 'GET', `cases/${reported}`);
  // Their own report opens for them, though nobody has sent it to them.
  const mine = await call(await token('officer', 'demo-officer-pass'), 'GET', `cases/${reported}`);
  check(mine.status === 200, `the officer reading their own report gets ${mine.status}`);
  check(fresh.body.category === '0201' && Math.abs(fresh.body.point.lon - 116.7921) < 1e-6, `the new case is ${JSON.stringify(fresh.body).slice(0, 200)}`);
  await page.screenshot({ path: join(shots, 'officer-phone-reported.png'), fullPage: true });
  await done(page);
});

await step('the dispatcher finds cases in the case list and by their number, on the list and in the map search, and exports them as CSV and GeoPackage', async () => {
  const made = await call(dispatcher, 'POST', 'cases', { category: '0501', source: 'hotline', address: '人民路151号', accept_best: true, description: '浏览器测试：按编号查找', reporter: { name: '李女士', phone: '13800001234' } });
  check(made.status === 201, `creating a case: ${made.status}`);
  const id = made.body.case.id;
  const other = (await call(dispatcher, 'POST', 'cases', { category: '0502', source: 'hotline', address: '人民路151号', accept_best: true })).body.case.id;
  const page = await open('dispatcher', 'demo-dispatcher-pass');
  await page.click('.menu [data-view=cases]');
  await page.waitForSelector(`.cases-table tbody tr[data-id="${id}"]`, { timeout: 20000 });
  check((await page.textContent('.cases-table thead')).includes('案件编号'), 'the list is not in Chinese');
  const href = await page.getAttribute('.cases-table a.export', 'href');
  check(href.includes('format=csv') && href.includes('lang=zh'), `the export link is ${href}`);
  const exported = await (await fetch(new URL(href, url), { headers: { authorization: `Bearer ${dispatcher}` } })).text();
  check(exported.replace(/^\ufeff/, '').startsWith('案件编号,上报时间'), `the export's header is ${exported.slice(0, 60)}`);
  // The same cases for the bureau's GIS, with their responsibility, as a GeoPackage.
  const gis = await fetch(new URL(await page.getAttribute('.cases-table a.export-gis', 'href'), url), { headers: { authorization: `Bearer ${dispatcher}` } });
  const gpkg = Buffer.from(await gis.arrayBuffer());
  check(gis.status === 200 && gpkg.subarray(0, 15).toString() === 'SQLite format 3', `the GeoPackage export answered ${gis.status}`);
  await page.fill('.case-number input', String(id));
  await page.press('.case-number input', 'Enter');
  await page.waitForSelector(`.case-card[data-case="${id}"]`, { timeout: 10000 });
  // The dispatcher who must call back sees the reporter's number, as a link that dials it.
  check((await page.getAttribute(`.case-card[data-case="${id}"] .reporter a`, 'href')) === 'tel:13800001234', 'the reporter\'s phone is not shown to the dispatcher');
  await page.screenshot({ path: join(shots, 'case-list.png') });
  // Sent to the wrong officer: the dispatcher recalls it from its card, and it waits again.
  if (made.body.case.status === 'reported') await call(dispatcher, 'POST', `cases/${id}/transitions`, { action: 'register' });
  const sent = await call(dispatcher, 'POST', `cases/${id}/transitions`, { action: 'dispatch', assignee: 'ZF0004' });
  check(sent.status === 200, `dispatching: ${sent.status} ${JSON.stringify(sent.body)}`);
  await page.fill('.case-number input', String(id));
  await page.press('.case-number input', 'Enter');
  await page.waitForSelector(`.case-card[data-case="${id}"] button[data-action=recall]`, { timeout: 10000 });
  check((await page.textContent(`.case-card[data-case="${id}"] button[data-action=recall]`)).includes('撤回派遣'), 'the recall is not named in Chinese');
  await page.click(`.case-card[data-case="${id}"] button[data-action=recall]`);
  let recalled;
  for (let i = 0; i < 50; i += 1) {
    recalled = await call(dispatcher, 'GET', `cases/${id}`);
    if (recalled.body.status !== 'dispatched') break;
    await page.waitForTimeout(200);
  }
  check(recalled.body.status === 'registered' && !recalled.body.assignee, `after the recall the case is ${recalled.body.status} with ${recalled.body.assignee}`);
  // Sent again, to an officer chosen by name; the list and the card name them, code after.
  await page.waitForSelector(`.case-card[data-case="${id}"] select.assignee`, { timeout: 10000 });
  const choices = await page.locator(`.case-card[data-case="${id}"] select.assignee option`).allTextContents();
  check(choices.some((o) => /^\S+ · ZF0003$/.test(o) && !o.startsWith('ZF')), `officers are offered as ${choices.slice(0, 3)}`);
  await page.selectOption(`.case-card[data-case="${id}"] select.assignee`, 'ZF0003');
  page.once('dialog', (d) => d.accept());
  await page.click(`.case-card[data-case="${id}"] button[data-action=dispatch]`);
  await page.waitForFunction((cid) => { const d = document.querySelector(`.case-card[data-case="${cid}"]`); return d && d.dataset.status === 'dispatched'; }, id, { timeout: 10000 });
  const card = await page.textContent(`.case-card[data-case="${id}"] .facts`);
  check(card.includes('· ZF0003') && !card.includes('处置人ZF0003'), `the card names the officer as ${card}`);
  // The map's search box takes a case number too.
  await page.click('.menu [data-view=map]');
  await page.fill('#search', `#${other}`);
  await page.press('#search', 'Enter');
  await page.waitForSelector(`.case-card[data-case="${other}"]`, { timeout: 10000 });
  check(!(await page.$('.candidates .empty')), 'a case number was searched as a place');
  // A hotline call entered at the desk: the address found, 在此立案, who called and what.
  await page.fill('#search', '人民路151号');
  await page.press('#search', 'Enter');
  await page.click('.candidates li button >> nth=0');
  await page.waitForSelector('.desk-report button.report-here', { timeout: 10000 });
  check((await page.textContent('.desk-report button.report-here')).includes('在此立案'), 'no 在此立案 at the place found');
  await page.click('.desk-report button.report-here');
  await page.selectOption('.desk-form select[name=category]', '0502');
  await page.fill('.desk-form input[name=description]', '浏览器测试：热线来电，店外摆摊');
  await page.fill('.desk-form input[name=reporter_name]', '王先生');
  await page.fill('.desk-form input[name=reporter_phone]', '13900005678');
  await page.screenshot({ path: join(shots, 'desk-report.png') });
  await page.click('.desk-form button[type=submit]');
  await page.waitForSelector('.desk-report p.ok', { timeout: 10000 });
  const entered = Number((await page.textContent('.desk-report p.ok')).match(/#(\d+)/)[1]);
  const desk = await call(dispatcher, 'GET', `cases/${entered}`);
  check(desk.body.source === 'hotline' && desk.body.category === '0502' && desk.body.reporter?.phone === '13900005678' && (desk.body.address || '').includes('人民路'),
    `the desk's case is ${JSON.stringify(desk.body).slice(0, 300)}`);
  await page.waitForSelector(`.case-card[data-case="${entered}"] .reporter a[href="tel:13900005678"]`, { timeout: 10000 });
  // The case sheet: printed, the page is the case alone with its history, without controls.
  await page.emulateMedia({ media: 'print' });
  check(await page.isVisible(`.case-card[data-case="${entered}"] .history`), 'the printed sheet has no history');
  check((await page.textContent(`.case-card[data-case="${entered}"] .print-title`)).includes('相城区 · 城市管理案件单'), 'the printed sheet has no title');
  check(!(await page.isVisible('#map')) && !(await page.isVisible('.case-card .actions')) && !(await page.isVisible('.bar')), 'the printed sheet carries the map or controls');
  await page.screenshot({ path: join(shots, 'case-sheet.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  // The dispatcher's queues beyond dispatch: the case sent to ZF0003 above waits under 已派遣.
  await page.click('.menu [data-view=dispatch]');
  await page.click('.queue-tab[data-queue=queue_dispatched]');
  await page.waitForSelector(`.case-list button[data-case="${id}"]`, { timeout: 15000 });
  check((await page.textContent('.dispatch h2')).includes('已派遣'), 'the queue is not named');
  await page.click('.queue-tab[data-queue=queue_overdue]');
  await page.waitForFunction(() => document.querySelector('.dispatch h2').textContent.includes('超期'), null, { timeout: 10000 });
  await done(page);
});

await step("the supervisor's area at a glance matches their cases, and a handled case is verified from its detail", async () => {
  const admin = await token('admin', 'demo-admin-pass');
  const officer = await token('officer', 'demo-officer-pass');
  // A case in the supervisor's community (古城社区), handled by its officer.
  const cell = (await call(admin, 'GET', 'layers/grids')).body.features.find((f) => f.properties.community === '340688001001');
  const ring = cell.geometry.coordinates[0].slice(0, -1);
  const [lon, lat] = [ring.reduce((a, c) => a + c[0], 0) / ring.length, ring.reduce((a, c) => a + c[1], 0) / ring.length];
  const made = await call(supervisor, 'POST', 'cases', { category: '0103', source: 'patrol', lon, lat, description: '浏览器测试：道路不洁' });
  const id = made.body.case.id;
  if (made.body.case.status === 'reported') await call(dispatcher, 'POST', `cases/${id}/transitions`, { action: 'register' });
  await call(dispatcher, 'POST', `cases/${id}/transitions`, { action: 'dispatch', assignee: 'ZF0001' });
  const handled = await call(officer, 'POST', `cases/${id}/transitions`, { action: 'handle', note: '已清扫' });
  check(handled.status === 200, `handling: ${handled.status} ${JSON.stringify(handled.body)}`);
  const page = await open('supervisor', 'demo-supervisor-pass');
  await page.waitForSelector('.supervisor .tiles', { timeout: 20000 });
  await page.waitForSelector(`.case-list button[data-case="${id}"]`, { timeout: 20000 });
  // The tiles count what the API says is open in the area.
  const inArea = (await call(supervisor, 'GET', 'cases?status=reported,registered,dispatched,handled,verified&limit=500')).body.cases;
  const shown = Number(await page.textContent('.tile[data-kind=open] strong'));
  check(shown === inArea.length, `the area shows ${shown} open cases, the API ${inArea.length}`);
  const overdue = Number(await page.textContent('.tile[data-kind=overdue] strong'));
  check(overdue === inArea.filter((c) => c.overdue).length, `the area shows ${overdue} overdue`);
  await page.click(`.case-list button[data-case="${id}"]`);
  await page.waitForSelector(`.case-card[data-case="${id}"] button[data-action=verify]`, { timeout: 10000 });
  check(!(await page.$(`.case-card[data-case="${id}"] button[data-action=close]`)), 'a supervisor is offered to close');
  await page.screenshot({ path: join(shots, 'supervisor.png') });
  await page.click(`.case-card[data-case="${id}"] button[data-action=verify]`);
  await page.waitForSelector('.case-card[data-status=verified]', { timeout: 10000 });
  const after = await call(supervisor, 'GET', `cases/${id}`);
  check(after.body.status === 'verified', `the case is ${after.body.status}`);
  await done(page);
});

await step('an assessor scores a section item by item on the phone, the leader signs the month off, and the report shows the deduction', async () => {
  const leader = await token('leader', 'demo-leader-pass');
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date());
  const quarter = `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
  const urban = (r) => r.body.inspections.sanitation.find((l) => l.area === 'urban');
  const before = urban(await call(leader, 'GET', `reports/quarterly?quarter=${quarter}`));
  const page = await open('supervisor', 'demo-supervisor-pass', {
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
    geolocation: { longitude: 116.7921, latitude: 33.9511, accuracy: 8 }, permissions: ['geolocation'],
  });
  await page.click('.menu [data-view=assess]');
  await page.waitForSelector('.assess-form select[name=checklist] option[value=urban-comprehensive]', { state: 'attached', timeout: 15000 });
  await page.selectOption('.assess-form select[name=checklist]', 'urban-comprehensive');
  await page.waitForSelector('.assess-form select[name=section] option[value="340688-HW03"]', { state: 'attached', timeout: 15000 });
  await page.selectOption('.assess-form select[name=section]', '340688-HW03');
  // Out of 100: standing water at the assessor's 10 of 2–10, a fixed 5, litter 4 times: 81.
  await page.fill('.assess-form input[name=item-U07]', '10');
  await page.check('.assess-form input[name=item-U05]');
  await page.fill('.assess-form input[name=item-U01]', '4');
  await page.waitForFunction(() => document.querySelector('.assess-form .live-score').textContent.includes('81.0'), null, { timeout: 5000 });
  check((await page.textContent('.assess-form .live-score')).includes('中'), `the live score reads ${await page.textContent('.assess-form .live-score')}`);
  await page.check('.assess-form input[name=notice-U07]');
  // A photo of what was found, taken on the phone.
  const photo = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  await page.setInputFiles('.assess-form input[name=photo-U07]', { name: 'toilet.png', mimeType: 'image/png', buffer: photo });
  await page.waitForFunction(() => document.querySelector('.assess-form .item[data-item=U07] .photos-taken').textContent === '1', null, { timeout: 10000 });
  await page.screenshot({ path: join(shots, 'assess-phone.png'), fullPage: true });
  await page.click('.assess-form button[type=submit]');
  await page.waitForSelector('.assess-form p.ok', { timeout: 10000 });
  const listed = (await call(leader, 'GET', `assessments?subject=340688-HW03&from=${month}&to=${month}`)).body.assessments;
  check(listed.length === 1 && listed[0].score.score === 81 && listed[0].notices.length === 1 && listed[0].position
    && listed[0].findings.find((f) => f.item === 'U07').photos.length === 1,
    `the assessment stored is ${JSON.stringify(listed).slice(0, 300)}`);
  const notice = (await call(leader, 'GET', `cases/${listed[0].notices[0]}`)).body;
  check(notice.category === '9003' && notice.deadline, `the notice is ${JSON.stringify(notice).slice(0, 200)}`);
  await done(page);
  // The leader's month: 81 under per-point-90 is 9 points × 2 % of 350,000 元 = 63,000 元.
  const desk = await open('leader', 'demo-leader-pass');
  await desk.click('.menu [data-view=periods]');
  await desk.selectOption('.periods select[name=month]', month);
  const row = '.period-table tr[data-section="340688-HW03"]';
  await desk.waitForFunction((r) => { const d = document.querySelector(`${r} .deducted`); return d && d.textContent === '63000.00'; }, row, { timeout: 15000 });
  desk.once('dialog', (d) => d.accept());
  await desk.click(`${row} button.sign`);
  await desk.waitForSelector(`${row}[data-signed=true]`, { timeout: 10000 });
  await desk.screenshot({ path: join(shots, 'periods.png'), fullPage: true });
  // Signed off, the month takes no more assessments of the section.
  const late = await call(supervisor, 'POST', 'assessments', { checklist: 'urban-daily', subject: { type: 'section', code: '340688-HW03' } });
  check(late.status === 409 && late.body.field === 'at', `a late assessment: ${late.status} ${JSON.stringify(late.body)}`);
  // The quarter's report has the deduction, on the page as in the API.
  const after = urban(await call(leader, 'GET', `reports/quarterly?quarter=${quarter}`));
  check(Math.abs(after.deducted - before.deducted - 63000) < 0.01 && after.comprehensive === before.comprehensive + 1 && after.notices === before.notices + 1,
    `the report went from ${JSON.stringify(before)} to ${JSON.stringify(after)}`);
  await desk.click('.menu [data-view=reports]');
  await desk.selectOption('.reports select[name=quarter]', quarter);
  await desk.waitForFunction((v) => { const d = document.querySelector('.inspections tr[data-area=urban] .deducted'); return d && d.textContent === v; }, after.deducted.toFixed(2), { timeout: 20000 });
  await desk.locator('.inspections').scrollIntoViewIfNeeded();
  await desk.screenshot({ path: join(shots, 'report-inspections.png') });
  // The shop records to complete are listed under the report.
  const incomplete = (await call(leader, 'GET', 'shops/incomplete')).body.shops.length;
  await desk.waitForSelector(`.incomplete-shops .count[data-count="${incomplete}"]`, { timeout: 10000 });
  check(incomplete > 0, 'no shop record to complete');
  // Shops are drawn in their door-front rating's colour, every surveyed one.
  const rated = (await call(leader, 'GET', 'shops/ratings')).body.ratings.length;
  await desk.click('.menu [data-view=map]');
  await desk.waitForSelector(`#map[data-rated="${rated}"]`, { timeout: 20000 });
  check(rated > 100, `only ${rated} shops rated`);
  await done(desk);
});

await step('an officer records a campaign action with tallies on the phone, the desk receives and approves a sign filing, and the report counts both', async () => {
  const leader = await token('leader', 'demo-leader-pass');
  const day = (d) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d);
  const today = day(new Date());
  const month = today.slice(0, 7);
  const quarter = `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
  // A campaign running today, planned by the leader.
  const planned = await call(leader, 'POST', 'campaigns', {
    name: '飞线充电夜查（浏览器测试）', kind: 'flying-wires', starts: today,
    ends: day(new Date(Date.now() + 30 * 86400000)), lead_team: '东山一中队',
    targets: [{ item: 'wires-removed', quantity: 10, by: day(new Date(Date.now() + 20 * 86400000)) }],
  });
  check(planned.status === 201, `planning: ${planned.status} ${JSON.stringify(planned.body)}`);
  const campaign = planned.body.id;
  const page = await open('officer', 'demo-officer-pass', {
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
    geolocation: { longitude: 116.7921, latitude: 33.9511, accuracy: 8 }, permissions: ['geolocation'],
  });
  await page.click('.menu [data-view=action]');
  await page.waitForSelector(`.campaign-action select[name=campaign] option[value="${campaign}"]`, { state: 'attached', timeout: 15000 });
  await page.selectOption('.campaign-action select[name=campaign]', String(campaign));
  await page.waitForSelector('.campaign-action input[name=tally-wires-removed]', { timeout: 10000 });
  await page.waitForFunction(() => !document.querySelector('.campaign-action .position').textContent.includes('…'), null, { timeout: 10000 });
  // A wire count typed as a fraction is refused as it is typed; then the counts.
  await page.fill('.campaign-action input[name=tally-ebikes-cleared]', '2.5');
  await page.waitForSelector('.campaign-action .tally-error', { timeout: 5000 });
  await page.fill('.campaign-action input[name=tally-ebikes-cleared]', '6');
  await page.fill('.campaign-action input[name=tally-wires-removed]', '4');
  const photo = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  await page.setInputFiles('.campaign-action input[name=action-photo]', { name: 'wires.png', mimeType: 'image/png', buffer: photo });
  await page.waitForFunction(() => document.querySelector('.campaign-action .photos-taken').textContent === '1', null, { timeout: 10000 });
  await page.fill('.campaign-action textarea[name=note]', '楼道飞线');
  await page.screenshot({ path: join(shots, 'campaign-action-phone.png'), fullPage: true });
  await page.click('.campaign-action button.record-action');
  await page.waitForSelector('.campaign-action p.ok', { timeout: 10000 });
  const actions = (await call(leader, 'GET', `campaigns/${campaign}/actions`)).body.actions;
  check(actions.length === 1 && actions[0].photos.length === 1 && actions[0].cell && actions[0].officers[0] === 'ZF0001'
    && actions[0].tallies.find((t) => t.item === 'wires-removed').quantity === 4,
    `the action stored is ${JSON.stringify(actions).slice(0, 300)}`);
  await done(page);

  // The desk receives a sign filing: a wrong credit code is caught as it is typed.
  const shop = (await call(dispatcher, 'GET', 'layers/shops')).body.features[3].properties.code;
  const desk = await open('dispatcher', 'demo-dispatcher-pass');
  await desk.click('.menu [data-view=approvals]');
  await desk.waitForSelector('.receive-application select[name=type] option[value=shop-sign]', { state: 'attached', timeout: 15000 });
  await desk.selectOption('.receive-application select[name=type]', 'shop-sign');
  await desk.fill('.receive-application input[name=applicant_name]', '测试小吃店');
  await desk.fill('.receive-application input[name=credit_code]', '91350100M000100Y44');
  await desk.waitForSelector('.receive-application .credit-code-error', { timeout: 5000 });
  await desk.fill('.receive-application input[name=credit_code]', '91350100M000100Y43');
  await desk.fill('.receive-application input[name=ap_contact]', '13900000000');
  await desk.fill('.receive-application input[name=ap_subject]', '新设门头招牌');
  await desk.fill('.receive-application input[name=shop_code]', shop);
  await desk.fill('.receive-application input[name=sign_text]', '测试小吃');
  await desk.click('.receive-application button[type=submit]');
  await desk.waitForSelector('.approvals p.ok', { timeout: 10000 });
  const number = (await desk.textContent('.approvals p.ok')).trim().split(' ').pop();
  const row = `.application-queue tr[data-number="${number}"]`;
  await desk.waitForSelector(row, { timeout: 10000 });
  await desk.screenshot({ path: join(shots, 'approvals-desk.png'), fullPage: true });
  desk.once('dialog', (d) => d.accept('东城管备-测试-1'));
  await desk.click(`${row} button.approve`);
  await desk.waitForSelector(row, { state: 'detached', timeout: 10000 });
  const decided = (await call(dispatcher, 'GET', 'applications?status=approved')).body.applications.find((a) => a.number === number);
  check(decided && decided.clock.same_day && decided.steps[0].certificate === '东城管备-测试-1', `the application: ${JSON.stringify(decided).slice(0, 300)}`);
  const filed = (await call(dispatcher, 'GET', 'layers/shops')).body.features.find((f) => f.properties.code === shop);
  check(filed.properties.sign === '测试小吃', `the shop's record: ${JSON.stringify(filed.properties)}`);
  // Anyone may look the application up by its number, without personal data.
  const lookup = await fetch(`${api}public/applications/${number}`);
  const publicText = await lookup.text();
  check(lookup.status === 200 && publicText.includes('approved') && !publicText.includes('13900000000'), `public lookup: ${publicText}`);
  await done(desk);

  // The leader's quarter counts both; the campaign's page draws its action on the map.
  const report = (await call(leader, 'GET', `reports/quarterly?quarter=${quarter}`)).body;
  const line = report.campaigns.find((c) => c.campaign === campaign);
  check(line && line.actions === 1 && line.totals.find((t) => t.item === 'wires-removed').quantity === 4, `the campaign's line: ${JSON.stringify(line)}`);
  const office = await open('leader', 'demo-leader-pass');
  await office.click('.menu [data-view=reports]');
  await office.selectOption('.reports select[name=quarter]', quarter);
  await office.waitForSelector(`.campaign-lines tr[data-campaign="${campaign}"]`, { timeout: 20000 });
  await office.waitForFunction((n) => { const d = document.querySelector('.approval-lines .handled'); return d && d.textContent === String(n); }, report.approvals.handled, { timeout: 10000 });
  await office.locator('.campaign-lines').scrollIntoViewIfNeeded();
  await office.screenshot({ path: join(shots, 'report-campaigns.png') });
  await office.click('.menu [data-view=campaigns]');
  await office.click(`.campaign-list li[data-campaign="${campaign}"] button`);
  await office.waitForSelector('#map[data-actions="1"]', { timeout: 20000 });
  await office.waitForSelector('.campaign-page .cp-targets, .campaign-page .targets', { timeout: 10000 });
  await office.screenshot({ path: join(shots, 'campaign-page.png') });
  await done(office);
});

await step('the dispatcher takes a 12345 order from the queue, settles its suggested category and place in one click, creates its case, replies and records the callback; the report counts it', async () => {
  const leader = await token('leader', 'demo-leader-pass');
  const day = (d) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d);
  const month = day(new Date()).slice(0, 7);
  const quarter = `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
  const street = (await call(dispatcher, 'GET', 'layers/streets')).body.features[0].properties.name;
  const number = `GD-BROWSER-${Date.now()}`;
  const before = (await call(leader, 'GET', `reports/quarterly?quarter=${quarter}`)).body.work_orders.total;
  const received = await call(dispatcher, 'POST', 'work-orders', {
    number, received_at: new Date(Date.now() - 60000).toISOString(), type: 'complaint', channel: '电话',
    caller: { name: '王女士', phone: '13800000000' }, text: `${street}12号楼下烧烤店油烟直排，窗户都不能开，请尽快处理`,
  });
  check(received.status === 201, `receiving: ${received.status} ${JSON.stringify(received.body)}`);
  const id = received.body.id;
  const desk = await open('dispatcher', 'demo-dispatcher-pass');
  await desk.click('.menu [data-view=hotline]');
  const row = `.order-queue tr[data-number="${number}"]`;
  await desk.waitForSelector(row, { timeout: 15000 });
  await desk.click(row);
  await desk.waitForSelector('.order .suggestions button.suggestion', { timeout: 15000 });
  const first = await desk.getAttribute('.order .suggestions button.suggestion', 'data-category');
  check(first === '0106', `the first suggestion is ${first}`);
  check((await desk.textContent('.order .suggested-place')).includes(street), 'the place is the street named');
  await desk.screenshot({ path: join(shots, 'hotline-desk.png'), fullPage: true });
  await desk.click('.order .suggestions button.suggestion');
  await desk.waitForSelector('.order .settled', { timeout: 10000 });
  await desk.click('.order button.create-case');
  await desk.waitForSelector('.order .order-cases a', { timeout: 10000 });
  await desk.fill('.order form.reply textarea[name=reply]', '已责令商户安装油烟净化设备，现场已整改');
  await desk.click('.order form.reply button[type=submit]');
  await desk.waitForSelector('.order form.callback', { timeout: 10000 });
  await desk.selectOption('.order form.callback select[name=satisfaction]', 'satisfied');
  await desk.click('.order form.callback button[type=submit]');
  await desk.waitForSelector('.order button.close', { timeout: 10000 });
  await desk.screenshot({ path: join(shots, 'hotline-callback.png'), fullPage: true });
  const order = (await call(dispatcher, 'GET', `work-orders/${id}`)).body;
  check(order.state.status === 'called_back' && order.state.category === '0106' && order.state.point
    && order.state.cases.length === 1 && order.state.satisfaction === 'satisfied' && order.state.suggestion_kept === true,
    `the order: ${JSON.stringify(order.state)}`);
  const kase = (await call(dispatcher, 'GET', `cases/${order.state.cases[0]}`)).body;
  check(kase.source === 'hotline' && kase.category === '0106', `its case: ${JSON.stringify(kase).slice(0, 200)}`);
  await done(desk);
  const after = (await call(leader, 'GET', `reports/quarterly?quarter=${quarter}`)).body.work_orders.total;
  check(after.received === before.received + 1 && after.replied === before.replied + 1 && after.called_back === before.called_back + 1,
    `the report's hotline lines: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
  const office = await open('leader', 'demo-leader-pass');
  await office.click('.menu [data-view=reports]');
  await office.selectOption('.reports select[name=quarter]', quarter);
  await office.waitForFunction((n) => { const d = document.querySelector('.order-lines tfoot .called-back'); return d && d.textContent === String(n); }, after.called_back, { timeout: 20000 });
  await office.locator('.order-lines').scrollIntoViewIfNeeded();
  await office.screenshot({ path: join(shots, 'report-hotline.png') });
  await done(office);
});

await step("the leader opens the quarter's report, rewrites a sentence, writes next quarter's plan, and exports it as Word and print", async () => {
  const leader = await token('leader', 'demo-leader-pass');
  const page = await open('leader', 'demo-leader-pass');
  await page.click('.menu [data-view=reports]');
  await page.waitForSelector('.report-draft article.draft', { timeout: 30000 });
  const quarter = await page.inputValue('.reports select[name=quarter]');
  const version = Number(await page.getAttribute('.report-draft article.draft', 'data-version'));
  const first = (await page.textContent('.report-draft .paragraph p')).trim();
  check(/共受理各类城市管理问题\d+件/.test(first), `the draft opens with ${first}`);
  // The figures link to the records behind them.
  check((await page.getAttribute('.report-draft .paragraph .sources a', 'href')).startsWith('/api/v1/cases?'), 'the first paragraph links to no cases');
  await page.click('.report-draft .paragraph button.edit-paragraph');
  const rewritten = `${first}群众对市容环境的满意度进一步提升。`;
  await page.fill('.report-draft .paragraph textarea[name=paragraph]', rewritten);
  await page.click('.report-draft .paragraph button.save-paragraph');
  await page.waitForSelector(`.report-draft article.draft[data-version="${version + 1}"]`, { timeout: 15000 });
  await page.fill('.report-draft textarea[name=plan]', '一是持续推进门前责任制管理。\n二是做好冬季道路除雪防滑准备。');
  await page.click('.report-draft button.save-plan');
  await page.waitForSelector(`.report-draft article.draft[data-version="${version + 2}"]`, { timeout: 15000 });
  const kept = (await call(leader, 'GET', `reports/quarterly/draft?quarter=${quarter}`)).body;
  check(kept.sections[0].paragraphs[0].text === rewritten && kept.sections[0].paragraphs[0].drafted === first, `the kept draft: ${JSON.stringify(kept.sections[0].paragraphs[0])}`);
  check(kept.plan.includes('除雪'), 'the plan is not kept');
  await page.locator('.report-draft').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'report-draft.png') });
  // Word: a .docx (a zip) with the rewritten sentence.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('.report-draft a.export-docx')]);
  check(download.suggestedFilename() === `report-${quarter}.docx`, `the Word file is named ${download.suggestedFilename()}`);
  const file = await readFile(await download.path());
  check(file.length > 20000 && file.subarray(0, 2).toString() === 'PK', `the Word file: ${file.length} bytes`);
  // Print: the printable page carries the edit, the plan, the comparison and the charts.
  const href = await page.getAttribute('.report-draft a.print', 'href');
  const printed = await page.context().newPage();
  await printed.goto(new URL(href, url).toString());
  await printed.emulateMedia({ media: 'print' });
  const body = await printed.textContent('body');
  check(body.includes('群众对市容环境的满意度进一步提升。') && body.includes('二是做好冬季道路除雪防滑准备。') && body.includes('主要指标对比'), 'the printable page lacks the edit');
  check(await printed.locator('section.charts svg').count() >= 5, 'the printable page has too few charts');
  // The printed page's text and its charts, as a reader sees them on paper.
  await printed.locator('section.draft').screenshot({ path: join(shots, 'report-print.png') });
  await printed.locator('section.charts').screenshot({ path: join(shots, 'report-print-charts.png') });
  await printed.close();
  await done(page);
});

await step('the admin imports a bad layer file and sees every bad feature, lists users, changes a time limit; English is remembered per user', async () => {
  const page = await open('admin', 'demo-admin-pass');
  await page.click('.menu [data-view=admin]');
  await page.waitForSelector('.users tbody tr', { timeout: 10000 });
  check((await page.locator('.users tbody tr').count()) >= 6, 'the users are not listed');
  await page.waitForSelector('.categories tbody tr', { timeout: 10000 });
  // A category's time limit, changed in the table and saved.
  await page.fill('.categories tr[data-code="0104"] input[name=limit]', '2d');
  await page.dispatchEvent('.categories tr[data-code="0104"] input[name=limit]', 'change');
  await page.click('.categories button[type=submit]');
  await page.waitForSelector('.categories p.ok', { timeout: 10000 });
  const catalogue = (await call(await token('admin', 'demo-admin-pass'), 'GET', 'categories')).body;
  check(catalogue.categories.find((c) => c.code === '0104').limit === '2d', 'the new time limit was not saved');
  // A checklist item made dearer: saved as the template's next version, the first kept.
  await page.waitForSelector('.checklist-editor tr[data-item=U05] input[name=deduct_a]', { timeout: 10000 });
  await page.selectOption('.checklist-editor select[name=template]', 'urban-daily');
  await page.fill('.checklist-editor tr[data-item=U05] input[name=deduct_a]', '6');
  await page.dispatchEvent('.checklist-editor tr[data-item=U05] input[name=deduct_a]', 'change');
  await page.click('.checklist-editor button[type=submit]');
  await page.waitForSelector('.checklist-editor p.ok', { timeout: 10000 });
  const book = (await call(await token('admin', 'demo-admin-pass'), 'GET', 'checklists')).body.checklists.filter((c) => c.code === 'urban-daily');
  check(book.length === 2 && book.find((c) => c.version === 2).items.find((i) => i.code === 'U05').deduct.points === 6
    && book.find((c) => c.version === 1).items.find((i) => i.code === 'U05').deduct.points === 5, `urban-daily is now ${JSON.stringify(book.map((c) => c.version))}`);
  const bad = { type: 'FeatureCollection', features: [
    { type: 'Feature', geometry: { type: 'Point', coordinates: [116.79, 33.95] }, properties: { name: '夜市', level: 'permitted' } },
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[116.79, 33.95], [116.791, 33.95], [116.791, 33.951], [116.79, 33.95]]] }, properties: { name: '学校', level: 'forbidden' } },
  ] };
  await page.selectOption('.import-layer select[name=layer]', 'zones');
  await page.setInputFiles('.import-layer input[type=file]', { name: 'zones.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(bad)) });
  await page.click('.import-layer button[type=submit]');
  await page.waitForSelector('.feature-errors tbody tr', { timeout: 10000 });
  const rows = await page.textContent('.feature-errors');
  check(rows.includes('level'), `the errors do not name the field: ${rows}`);
  check(rows.includes('未知的取值') && rows.includes('应为'), `the errors are not said in Chinese: ${rows}`);
  check((await page.textContent('.import-layer p.error')).includes('整个文件未导入'), 'the refusal does not say nothing was imported');
  await page.screenshot({ path: join(shots, 'admin-import.png'), fullPage: true });
  page.errors = page.errors.filter((e) => !e.includes('status of 422'));
  // Someone guesses a password: that name from that address waits, and the admin clears it.
  for (let i = 0; i < 5; i += 1) await token('planner', `guess number ${i}`);
  await page.click('.menu [data-view=map]');
  await page.click('.menu [data-view=admin]');
  await page.waitForSelector('.login-throttles tr[data-username="planner"] button.clear-throttle', { timeout: 10000 });
  check((await page.textContent('.login-throttles')).includes('登录失败限制'), 'the failed-login limits are not shown in Chinese');
  // The planner's row from this address, and the planner's count over every address.
  for (let left = await page.locator('.login-throttles tr[data-username="planner"]').count(); left > 0; left -= 1) {
    await page.click('.login-throttles tr[data-username="planner"] button.clear-throttle');
    await page.waitForFunction((n) => document.querySelectorAll('.login-throttles tr[data-username="planner"]').length < n, left, { timeout: 10000 });
  }
  check((await token('planner', 'demo-planner-pass')) !== undefined, 'the planner cannot log in after the limit was cleared');
  // English, remembered for this user only.
  await page.click('button.lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 5000 });
  check((await page.textContent('.menu')).includes('Administration'), 'the menu did not switch to English');
  await page.click('button.logout');
  await page.waitForSelector('#username', { timeout: 10000 });
  await page.fill('#username', 'admin');
  await page.fill('#password', 'demo-admin-pass');
  await page.click('.login-form button[type=submit]');
  await page.waitForSelector('.menu', { timeout: 20000 });
  check((await page.textContent('.menu')).includes('Case map'), 'English was not remembered for the admin');
  await page.click('.menu [data-view=map]');
  const english = await page.textContent('.map-legend');
  check(['Legend', 'Overdue', 'Dispatched', 'prohibited zone'].every((w) => english.includes(w)), `the English legend: ${english}`);
  await page.click('button.logout');
  await page.waitForSelector('#username', { timeout: 10000 });
  await page.fill('#username', 'supervisor');
  await page.fill('#password', 'demo-supervisor-pass');
  await page.click('.login-form button[type=submit]');
  await page.waitForSelector('.supervisor .tiles', { timeout: 20000 });
  check((await page.textContent('.menu')).includes('我的网格'), 'the supervisor did not get Chinese');
  await done(page);
});

await step("the admin downloads grids as a zone-39 Shapefile for the GIS and previews it back: system, encoding and field mapping shown, then imported", async () => {
  const page = await open('admin', 'demo-admin-pass');
  await page.click('.menu [data-view=admin]');
  await page.waitForSelector('.export-layer a.download', { timeout: 10000 });
  await page.selectOption('.export-layer select[name=export-layer]', 'grids');
  const href = await page.getAttribute('.export-layer a.download', 'href');
  check(href.includes('format=shp') && href.includes('crs=EPSG%3A4527') && href.includes('names=zh'), `the download link: ${href}`);
  const r = await fetch(new URL(href, url), { headers: { authorization: `Bearer ${await token('admin', 'demo-admin-pass')}` } });
  check(r.status === 200 && r.headers.get('content-type') === 'application/zip', `the download answered ${r.status}`);
  const zip = Buffer.from(await r.arrayBuffer());
  await page.selectOption('.import-layer select[name=layer]', 'grids');
  await page.setInputFiles('.import-layer input[type=file]', { name: 'grids.zip', mimeType: 'application/zip', buffer: zip });
  await page.click('.import-layer button[name=preview]');
  await page.waitForSelector('.layer-preview .field-mapping tbody tr', { timeout: 20000 });
  const preview = await page.textContent('.layer-preview');
  check(preview.includes('EPSG:4527') && preview.includes('GBK') && preview.includes('将导入'), `the preview: ${preview}`);
  check((await page.inputValue('.layer-preview select[name="map-网格编码"]')) === 'code', 'the Chinese code field is not read as code');
  await page.waitForTimeout(1200); // the map eases to the file's extent
  await page.screenshot({ path: join(shots, 'admin-layer-preview.png'), fullPage: true });
  await page.click('.import-layer button[type=submit]');
  await page.waitForSelector('.import-layer p.ok', { timeout: 20000 });
  const grids = (await call(await token('admin', 'demo-admin-pass'), 'GET', 'layers/grids')).body.features.length;
  check((await page.textContent('.import-layer p.ok')).includes(String(grids)), 'the import did not report every cell');
  await done(page);
});

await step('a new user must replace the one-time password first, changes it again later, and the admin resets a forgotten one', async () => {
  const admin = await token('admin', 'demo-admin-pass');
  const made = await call(admin, 'POST', 'users', { username: 'zhou.min', role: 'dispatcher', display_name: '周敏' });
  check(made.status === 201, `adding a user: ${made.status} ${JSON.stringify(made.body)}`);
  const oneTime = made.body.password;
  // The first login with the one-time password leads to the password form, and nowhere else.
  const page = await loginPage('zh-CN');
  await page.fill('#username', 'zhou.min');
  await page.fill('#password', oneTime);
  await page.press('#password', 'Enter');
  await page.waitForSelector('.password-form.forced', { timeout: 20000 });
  check(!(await page.$('.menu')), 'the menu is offered before the password is changed');
  await page.fill('#current-password', oneTime);
  await page.fill('#new-password', '周敏的新密码-2026');
  await page.fill('#repeat-password', '周敏的新密码-2027');
  await page.click('.password-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('.password-form p[role=status]')?.textContent.includes('两次输入的新密码不一致'), null, { timeout: 5000 });
  await page.fill('#repeat-password', '周敏的新密码-2026');
  await page.click('.password-form button[type=submit]');
  await page.waitForSelector('#map[data-ready="1"]', { timeout: 60000 });
  check((await token('zhou.min', oneTime)) === undefined, 'the one-time password still logs in');
  // Later, from the header: changed again; the page goes on with the new session.
  await page.click('.bar button.password');
  await page.fill('#current-password', '周敏的新密码-2026');
  await page.fill('#new-password', '周敏的第二个新密码-2026');
  await page.fill('#repeat-password', '周敏的第二个新密码-2026');
  await page.click('.password-form button[type=submit]');
  await page.waitForSelector('.password-form p.ok', { timeout: 10000 });
  check((await page.textContent('.password-form p.ok')).includes('密码已修改'), 'no word that the password changed');
  await page.screenshot({ path: join(shots, 'change-password.png') });
  // Logging out is a write with the CSRF token: it works with the new session.
  await page.click('.password-form button.close');
  await page.click('button.logout');
  await page.waitForSelector('#username', { timeout: 10000 });
  await page.fill('#username', 'zhou.min');
  await page.fill('#password', '周敏的第二个新密码-2026');
  await page.click('.login-form button[type=submit]');
  await page.waitForSelector('.menu', { timeout: 20000 });
  await done(page);
  // Forgotten after all: the admin resets it to a one-time password, shown once.
  const adminPage = await open('admin', 'demo-admin-pass');
  await adminPage.click('.menu [data-view=admin]');
  adminPage.on('dialog', (d) => d.accept());
  await adminPage.click('.users button.reset-password[data-user="zhou.min"]');
  await adminPage.waitForSelector('.users p.ok', { timeout: 10000 });
  const shown = await adminPage.textContent('.users p.ok');
  const again = shown.split(': ').pop().trim();
  check(shown.includes('zhou.min') && again.length === 16, `the one-time password is not shown: ${shown}`);
  check((await token('zhou.min', '周敏的第二个新密码-2026')) === undefined, 'the forgotten password still logs in');
  check((await token('zhou.min', again)) !== undefined, 'the one-time password does not log in');
  // Leaving the bureau: the admin deletes the account (asked first); it is gone from the list.
  await adminPage.click('.users button.delete-user[data-user="zhou.min"]');
  await adminPage.waitForFunction(() => !document.querySelector('.users button.delete-user[data-user="zhou.min"]'), null, { timeout: 10000 });
  check((await token('zhou.min', again)) === undefined, 'a deleted user still logs in');
  await adminPage.click('.users button.delete-user[data-user="admin"]');
  await adminPage.waitForSelector('.users p.error', { timeout: 10000 });
  check((await adminPage.textContent('.users p.error')).includes('不能删除自己的账号'), 'an admin deleting their own account is not refused in words');
  // That refusal is the browser's only console error here, and it was meant.
  adminPage.errors = adminPage.errors.filter((e) => !e.includes('409'));
  await done(adminPage);
});

await step('in English, the dispatcher\'s views speak English: menu, queues, case list, legend, export and refusals', async () => {
  const page = await loginPage('en-GB');
  await page.click('button.lang');
  await page.fill('#username', 'dispatcher');
  await page.fill('#password', 'demo-dispatcher-pass');
  await page.press('#password', 'Enter');
  await page.waitForSelector('#map[data-ready="1"]', { timeout: 60000 });
  const cjk = /[\u4e00-\u9fff]/;
  const english = async (selector, words) => {
    const text = await page.textContent(selector);
    check(words.every((w) => text.includes(w)), `${selector} reads ${text.slice(0, 160)}`);
    return text;
  };
  check(!cjk.test(await english('.menu', ['Dispatch', 'Case list', 'Case map'])), 'Chinese in the English menu');
  check(!cjk.test(await english('.queues', ['Waiting to be dispatched', 'Dispatched', 'To close', 'Overdue'])), 'Chinese in the English queues');
  await english('.map-legend', ['Legend', 'Overdue', 'cases in a cluster']);
  await page.click('.menu [data-view=cases]');
  await page.waitForSelector('.cases-table tbody tr', { timeout: 20000 });
  check(!cjk.test(await english('.cases-table thead', ['Case number', 'Assignee', 'Deadline'])), 'Chinese in the English case list');
  check((await page.getAttribute('.cases-table a.export', 'href')).includes('lang=en'), 'the English export is not asked in English');
  // A refusal of a case step, in English: dispatching to nobody.
  const id = await page.getAttribute('.cases-table tbody tr[data-id] >> nth=0', 'data-id');
  const queued = (await call(dispatcher, 'POST', 'cases', { category: '0501', source: 'patrol', lon: 116.7935, lat: 33.9497 })).body.case.id;
  await page.fill('.case-number input', String(queued));
  await page.press('.case-number input', 'Enter');
  await page.waitForSelector(`.case-card[data-case="${queued}"] button[data-action=dispatch]`, { timeout: 10000 });
  page.once('dialog', (d) => d.accept());
  await page.click(`.case-card[data-case="${queued}"] button[data-action=dispatch]`);
  await page.waitForSelector('.case-card .actions p.error', { timeout: 10000 });
  const refusal = await page.textContent('.case-card .actions p.error');
  check(refusal.includes('assignee') && !cjk.test(refusal), `the refusal reads ${refusal} (case ${id})`);
  page.errors = page.errors.filter((e) => !e.includes('422'));
  await done(page);
});

if (tiledUrl) {
  await step('on GCJ-02 background tiles the data is shifted onto them and a click is shifted back', async () => {
    const page = await open('admin', 'demo-admin-pass', {}, tiledUrl);
    check(page.tiles > 0, 'no background tile was requested');
    check(await page.evaluate(() => window.citygridMap.shifted()), 'the map did not shift to GCJ-02');
    const bearer = await token('admin', 'demo-admin-pass');
    // A cell's centre, drawn where GCJ-02 puts it: a click there is that cell again.
    const grids = (await call(bearer, 'GET', 'layers/grids')).body.features;
    const cell = grids[Math.floor(grids.length / 2)];
    const ring = cell.geometry.coordinates[0].slice(0, -1);
    const [lon, lat] = [ring.reduce((a, c) => a + c[0], 0) / ring.length, ring.reduce((a, c) => a + c[1], 0) / ring.length];
    const [x, y] = await page.evaluate(([a, b]) => window.citygridMap.screenPoint(a, b), [lon, lat]);
    // GCJ-02 puts this district some 500 m east-south-east of WGS 84.
    const [glon, glat] = await page.evaluate(([a, b]) => window.citygridMap.toMap(a, b), [lon, lat]);
    check(glon - lon > 0.003 && Math.abs(glat - lat) > 0.0005, `the data is drawn at ${glon},${glat} for ${lon},${lat}`);
    // No cases in the way of the click.
    await page.fill('input[name=from]', '2099-01-01');
    await page.dispatchEvent('input[name=from]', 'change');
    await page.waitForFunction(() => document.querySelector('#map').dataset.cases === '0', null, { timeout: 10000 });
    const box = await page.locator('#map canvas').boundingBox();
    await page.mouse.click(box.x + x, box.y + y);
    await page.waitForSelector('dl.location', { timeout: 10000 });
    const grid = await page.getAttribute('dl.location', 'data-grid');
    check(grid === cell.properties.code, `a click on cell ${cell.properties.code} drawn on GCJ-02 tiles answered ${grid}`);
    check((await page.textContent('.maplibregl-ctrl-attrib')).includes('测试底图'), 'the tiles are not credited');
    await page.screenshot({ path: join(shots, 'gcj02-tiles.png') });
    await done(page);
  });
}

await browser.close();
const wasm = readdirSync(join('..', 'dist', 'web', 'pkg')).find((f) => f.endsWith('.wasm'));
figures.wasmKB = Math.round(statSync(join('..', 'dist', 'web', 'pkg', wasm)).size / 1024);
console.log(`figures: ${JSON.stringify(figures)}`);
console.log(`browser: ${passed} passed, ${failures} failed; screenshots in ${shots}`);
if (failures) process.exitCode = 1;
