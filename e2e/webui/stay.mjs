// Opens pages of the Temporal Web UI with headless Chromium, waits until
// each page's expected texts are visible, saves a screenshot of each and one
// image of all of them stacked. Driven by e2e/webui_test.go; exits non-zero
// (after the screenshots of what it saw) when a text does not appear in time.
//
// usage: node stay.mjs '<spec>' where spec is JSON:
//   {"pages": [{"url": "...", "texts": ["..."], "screenshot": "a.png", "caption": "..."}],
//    "combined": "all.png"}
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const spec = JSON.parse(process.argv[2] || '{}');
if (!spec.pages?.length) {
  console.error(`usage: node stay.mjs '{"pages": [{"url": ..., "texts": [...], "screenshot": ...}], "combined": ...}'`);
  process.exit(2);
}
const timeout = Number(process.env.WEBUI_TIMEOUT_MS || 60000);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
// visible waits until text is visible in the page or in one of its frames:
// the UI renders markdown (a workflow's summary and details) in a sandboxed
// iframe, which a page-wide locator does not search.
async function visible(page, text) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      if (await frame.getByText(text).first().isVisible().catch(() => false)) return true;
    }
    if (Date.now() > deadline) return false;
    await page.waitForTimeout(200); // poll the condition again
  }
}

let failed = false;
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  for (const p of spec.pages) {
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') console.error('page console:', m.text()); });
    await page.goto(p.url, { timeout });
    for (const text of p.texts) {
      if (await visible(page, text)) {
        console.log(`visible on ${new URL(p.url).pathname}: ${text}`);
      } else {
        console.error(`not visible on ${new URL(p.url).pathname} within ${timeout} ms: ${text}`);
        failed = true;
      }
    }
    await page.screenshot({ path: p.screenshot });
    await page.close();
  }
  if (spec.combined) {
    const page = await context.newPage();
    const panels = spec.pages.map((p) => {
      const img = readFileSync(p.screenshot).toString('base64');
      return `<figure><figcaption>${p.caption || ''}</figcaption><img src="data:image/png;base64,${img}"></figure>`;
    }).join('');
    await page.setContent(`<!doctype html><style>
      body { margin: 0; background: #fff; font: 22px sans-serif; }
      figure { margin: 0; } figcaption { padding: 12px 16px; background: #e8eefc; }
      img { display: block; width: 1440px; border-bottom: 2px solid #99a; }
    </style>${panels}`);
    await page.screenshot({ path: spec.combined, fullPage: true });
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
