// Renders the Mermaid blocks scripts/check-mermaid.sh extracted, each on its own page of ONE
// Chromium (a launch costs seconds, a page a fraction of one), with mermaid-cli's own
// renderMermaid - the function its mmdc command calls - so every broken block is named in
// one pass, not just the first.
//
// Usage: node scripts/render-mermaid.mjs WORK_DIR
//   WORK_DIR/index.tsv        one line per block: NNN <TAB> file:line of its ```mermaid fence
//   WORK_DIR/blocks/NNN.mmd   the block's text; NNN.svg is written beside it when it renders
//   WORK_DIR/puppeteer.json   how to launch the browser (the system's Chromium, its flags)
// Prints one "file:line: ..." per block that does not render; exit 1 if any, 2 if the
// browser cannot be started.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const modules = path.join(root, 'lib', 'node', 'node_modules');
const require = createRequire(path.join(modules, 'noop.js'));
const puppeteer = require('puppeteer');
const { renderMermaid } = await import(
  pathToFileURL(path.join(modules, '@mermaid-js', 'mermaid-cli', 'src', 'index.js')).href);

const work = process.argv[2];
const launch = JSON.parse(fs.readFileSync(path.join(work, 'puppeteer.json'), 'utf8'));
const blocks = fs.readFileSync(path.join(work, 'index.tsv'), 'utf8').trim().split('\n')
  .map((line) => line.split('\t'));

let browser;
try {
  browser = await puppeteer.launch({ headless: true, ...launch });
} catch (e) {
  console.error(`cannot start Chromium at ${launch.executablePath}: ${e.message}`);
  process.exit(2);
}

let failed = 0;
try {
  for (const [n, where] of blocks) {
    const definition = fs.readFileSync(path.join(work, 'blocks', `${n}.mmd`), 'utf8');
    try {
      const { data } = await renderMermaid(browser, definition, 'svg');
      fs.writeFileSync(path.join(work, 'blocks', `${n}.svg`), data);
    } catch (e) {
      failed++;
      const message = String(e && e.message ? e.message : e);
      // Mermaid counts lines from the block's first; the file's is the fence's plus that.
      const [file, fence] = [where.slice(0, where.lastIndexOf(':')), Number(where.split(':').pop())];
      const line = /on line (\d+)/.exec(message);
      const at = line ? `${file}:${fence + Number(line[1])}` : where;
      const detail = message.split('\n').filter((l) => !/^\s+at /.test(l)).slice(0, 6)
        .map((l) => `    ${l}`).join('\n');
      console.error(`${at}: the mermaid block at line ${fence} does not render:\n${detail}`);
    }
  }
} finally {
  await browser.close();
}
process.exit(failed > 0 ? 1 : 0);
