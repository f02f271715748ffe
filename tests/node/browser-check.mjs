// Usage: [NOT_SHOWN=TEXT] node browser-check.mjs INDEX.HTML NODE-ID...
// For each NODE-ID, on a page of its own (one Chromium for all: a start costs seconds):
// loads the page in Debian's Chromium (headless), fails on any console error, page error or
// network request, clicks the node NODE-ID in the diagram and checks that its edges are
// highlighted and their provenance listed: exactly the highlighted edges, one item each.
import { chromium } from 'playwright-core';
import path from 'node:path';

const [file, ...nodeIds] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failedNodes = 0;
for (const nodeId of nodeIds) {
  const problems = [];
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  try {
    page.on('console', (m) => { if (m.type() === 'error') problems.push('console error: ' + m.text()); });
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push('network request: ' + r.url());
    });
    await page.goto('file://' + path.resolve(file));
    await page.waitForSelector('body[data-ready="yes"]', { timeout: 10000 });
    // Opens fitted to the width (tests/node/layout-check.mjs); at the actual size (the 0 key
    // below) node labels are readable, at least 10 px tall.
    const zoomNow = async () => Number(await page.getAttribute('body', 'data-zoom'));
    const opening = await zoomNow();
    if (!(opening > 0 && opening <= 1)) problems.push(`opens at zoom ${opening}, expected the width or less`);
    // Zoom: a button, the keyboard, the wheel; then fit, so every node can be clicked.
    await page.click('#zoom-in');
    if (await zoomNow() <= opening) problems.push('the zoom-in button does not zoom in');
    await page.focus('#svg');
    await page.keyboard.press('-');
    await page.keyboard.press('-');
    if (await zoomNow() >= opening) problems.push('the - key does not zoom out');
    const box = await page.locator('#svg').boundingBox();
    const before = await zoomNow();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    if (await zoomNow() <= before) problems.push('the mouse wheel does not zoom in');
    await page.keyboard.press('0');
    if (await zoomNow() !== 1) problems.push('the 0 key does not return to the actual size');
    const labelHeight = await page.evaluate(() => {
      const t = document.querySelector('#svg g.node text');
      return t ? t.getBoundingClientRect().height : 0;
    });
    if (labelHeight < 10) problems.push(`node labels are ${labelHeight} px tall at the actual size`);
    await page.keyboard.press('f');
    const exact = new RegExp('^' + nodeId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$');
    const node = page.locator('#svg g.node').filter({ has: page.locator('title', { hasText: exact }) });
    if (await node.count() !== 1) problems.push(`expected one node ${nodeId} in the diagram, found ${await node.count()}`);
    else await node.click();
    const title = await page.textContent('#details-title');
    const highlightedAttr = Number(await page.getAttribute('body', 'data-highlighted-edges'));
    const listedAttr = Number(await page.getAttribute('body', 'data-listed-edges'));
    const highlighted = await page.locator('#svg g.edge.highlighted').count();
    const listed = await page.locator('#details-list > li').count();
    const keys = await page.locator('#details-list > li li').count();
    if (title !== nodeId) problems.push(`details title is "${title}", expected "${nodeId}"`);
    if (highlighted === 0 || highlighted !== highlightedAttr) problems.push(`highlighted edges: ${highlighted} (page says ${highlightedAttr})`);
    if (listed === 0 || listed !== listedAttr) problems.push(`listed edges: ${listed} (page says ${listedAttr})`);
    if (keys === 0) problems.push('no values keys listed');
    if (highlighted !== listed) problems.push(`${highlighted} edges highlighted but ${listed} listed`);
    // NOT_SHOWN: text the panel must not show (an absolute path the page names relatively).
    const panel = await page.textContent('#details-list');
    if (process.env.NOT_SHOWN && panel.includes(process.env.NOT_SHOWN)) problems.push(`the panel shows ${process.env.NOT_SHOWN}`);
    console.log(`clicked ${nodeId}: ${highlighted} edges highlighted, ${listed} listed with ${keys} values keys`);
  } catch (e) {
    problems.push(String(e));
  } finally {
    await page.close();
  }
  for (const p of problems) console.log(`FAIL: ${nodeId}: ${p}`);
  if (problems.length) failedNodes++;
}
await browser.close();
console.log(`${nodeIds.length - failedNodes} passed, ${failedNodes} failed`);
process.exit(failedNodes || !nodeIds.length ? 1 : 0);
