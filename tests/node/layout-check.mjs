// Usage: node layout-check.mjs INDEX.HTML SCREENSHOT-PREFIX
// The review page's first view in Debian's Chromium (headless), on a laptop (1400x1000) and a
// phone (390x844), with JavaScript on and off. Fails on any console error, page error or
// network request, and unless: the first thing after the header is the "Reachable from the
// internet" card, in the first screen; the header names the version and each input with a
// SHA-256 and no absolute path; the page does not scroll sideways; with JavaScript the
// diagram opens fitted to the width of its box, its controls on screen, and on a phone the
// panel below the diagram; without JavaScript the whole picture scrolls in its box and the
// controls that would do nothing are hidden; with JavaScript a table wider than the screen has
// a hint above it that it scrolls sideways, and one that fits none. Saves a screenshot of each view
// (PREFIX-WIDTHxHEIGHT-js.png, -nojs.png) to look at.
import { chromium } from 'playwright-core';
import path from 'node:path';

const [file, prefix] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const problems = [];
let views = 0;
try {
  for (const [width, height] of [[1400, 1000], [390, 844]]) {
    for (const js of [true, false]) {
      const name = `${width}x${height} ${js ? 'with' : 'without'} JavaScript`;
      const fail = (text) => problems.push(`${name}: ${text}`);
      const context = await browser.newContext({ viewport: { width, height }, javaScriptEnabled: js });
      const page = await context.newPage();
      page.on('console', (m) => { if (m.type() === 'error') fail('console error: ' + m.text()); });
      page.on('pageerror', (e) => fail('page error: ' + e.message));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) fail('network request: ' + r.url());
      });
      await page.goto('file://' + path.resolve(file));
      if (js) await page.waitForSelector('body[data-ready="yes"]', { timeout: 10000 });
      const v = await page.evaluate(() => {
        const rect = (el) => { if (!el) return null; const r = el.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height }; };
        const shown = (el) => !!el && getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0;
        const first = document.querySelector('body > section');
        const box = document.getElementById('svg');
        const header = document.querySelector('header');
        return {
          firstId: first ? first.id : '',
          firstTitle: first && first.querySelector('h2') ? first.querySelector('h2').textContent : '',
          firstTop: first ? first.getBoundingClientRect().top : 1e9,
          made: header.querySelector('.made') ? header.querySelector('.made').textContent : '',
          shas: Array.from(header.querySelectorAll('code.sha')).map((c) => c.textContent),
          inputs: Array.from(header.querySelectorAll('table.inputs td:first-child code')).map((c) => c.textContent),
          pageWidth: document.documentElement.scrollWidth,
          box: rect(box), boxClient: box.clientWidth, boxScroll: box.scrollWidth,
          boxOverflow: getComputedStyle(box).overflowX,
          svg: rect(document.querySelector('#svg svg')),
          details: rect(document.getElementById('details')),
          detailsShown: shown(document.getElementById('details')),
          zoomShown: shown(document.getElementById('zoom')),
          buttons: Array.from(document.querySelectorAll('#zoom button')).map(rect),
          jsOnlyShown: Array.from(document.querySelectorAll('.js-only')).some(shown),
          zoom: Number(document.body.getAttribute('data-zoom') || 'NaN'),
          // Each table's box: whether it scrolls sideways, and whether a hint above says so.
          tables: Array.from(document.querySelectorAll('div.scroll')).map((d) => {
            const hint = d.previousElementSibling;
            return { wide: d.scrollWidth > d.clientWidth + 1,
                     hinted: !!hint && hint.classList.contains('scroll-hint') && shown(hint) };
          }),
        };
      });
      if (v.firstId !== 'internet' || v.firstTitle !== 'Reachable from the internet')
        fail(`the first section is "${v.firstTitle}" (#${v.firstId}), expected "Reachable from the internet"`);
      if (v.firstTop >= height) fail(`the internet card starts at ${v.firstTop} px, below the first screen`);
      if (!/^netpol-graph \S+/.test(v.made)) fail(`the header does not name the version: "${v.made}"`);
      if (!/generated \d{4}-\d\d-\d\dT/.test(v.made)) fail(`the header does not say when: "${v.made}"`);
      if (v.shas.length === 0 || !v.shas.every((s) => /^[0-9a-f]{64}$/.test(s))) fail(`input digests: ${JSON.stringify(v.shas)}`);
      if (v.inputs.some((i) => i.startsWith('/'))) fail(`an input is shown by its absolute path: ${JSON.stringify(v.inputs)}`);
      if (v.pageWidth > width) fail(`the page scrolls sideways: ${v.pageWidth} px wide`);
      if (!v.svg || v.svg.width < 50) fail(`the diagram is ${v.svg ? v.svg.width : 0} px wide`);
      else if (js) {
        // Fitted to the width: the whole width in the box, filling it unless at its own size.
        if (v.svg.width > v.boxClient + 1) fail(`the diagram (${v.svg.width} px) is wider than its box (${v.boxClient} px)`);
        if (v.zoom < 1 && v.svg.width < v.boxClient - 4) fail(`the diagram (${v.svg.width} px at zoom ${v.zoom}) does not fill its box (${v.boxClient} px)`);
        if (!(v.zoom > 0 && v.zoom <= 1)) fail(`opens at zoom ${v.zoom}`);
        if (!v.zoomShown) fail('the zoom buttons are hidden');
        for (const b of v.buttons) {
          if (!b || b.left < 0 || b.right > width || b.width < 20) fail(`a zoom button is off screen: ${JSON.stringify(b)}`);
          else if (b.bottom > v.svg.top) fail(`a zoom button (bottom ${b.bottom}) covers the picture (top ${v.svg.top})`);
        }
        if (!v.detailsShown) fail('the details panel is hidden');
        // A table that scrolls sideways says so above it; one that fits says nothing.
        v.tables.forEach((t, i) => {
          if (t.wide && !t.hinted) fail(`table ${i + 1} scrolls sideways with no hint`);
          if (!t.wide && t.hinted) fail(`table ${i + 1} fits, yet a hint says it scrolls`);
        });
        if (width < 600 && !v.tables.some((t) => t.wide)) fail('no table is wider than a phone: the hint goes untested');
        if (width < 600) {
          if (v.details.top < v.box.bottom) fail(`the panel (top ${v.details.top}) is not below the diagram (bottom ${v.box.bottom})`);
          if (v.box.width < width - 40) fail(`the diagram box is ${v.box.width} px wide on a ${width} px screen`);
        }
      } else {
        // Without JavaScript: the picture whole, in a box that scrolls; no dead controls.
        if (v.boxOverflow !== 'auto') fail(`the diagram box does not scroll (overflow ${v.boxOverflow})`);
        if (v.boxScroll < Math.floor(v.svg.width)) fail(`the box scrolls ${v.boxScroll} px of a ${v.svg.width} px picture`);
        if (v.zoomShown) fail('the zoom buttons show and do nothing');
        if (v.detailsShown) fail('the details panel shows and does nothing');
        if (v.jsOnlyShown) fail('text about clicking shows');
      }
      await page.screenshot({ path: `${prefix}-${width}x${height}-${js ? 'js' : 'nojs'}.png` });
      await context.close();
      views++;
    }
  }
} catch (e) {
  problems.push(String(e));
} finally {
  await browser.close();
}
for (const p of problems) console.log('FAIL: ' + p);
console.log(`${views} views looked at; ${problems.length ? 0 : 1} passed, ${problems.length ? 1 : 0} failed`);
process.exit(problems.length ? 1 : 0);
