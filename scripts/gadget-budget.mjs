#!/usr/bin/env node
// The gadget's size budget (issue 5, item 3): gzip every JS and CSS file Vite emitted into
// dist-gadget/ and fail (exit 1) when the total is above 40 KB (40960 bytes).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 40 * 1024;
const dir = process.argv[2] ?? 'dist-gadget';

/** @type {string[]} */
let list = [];
try {
  list = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(m?js|css)$/.test(f));
} catch (err) {
  console.error(`gadget budget: cannot read ${dir}: ${String(err)} (run vite build first)`);
  process.exit(1);
}
if (list.length === 0) {
  console.error(`gadget budget: no JS or CSS in ${dir}`);
  process.exit(1);
}
let total = 0;
for (const f of list) {
  const size = gzipSync(readFileSync(join(dir, f)), { level: 9 }).length;
  total += size;
  console.log(`  ${f}  ${size} B gzipped`);
}
const line = `gadget: ${total} B gzipped (${(total / 1024).toFixed(1)} KB) of ${BUDGET} B budget`;
if (total > BUDGET) {
  console.error(`${line}: OVER BUDGET`);
  process.exit(1);
}
console.log(line);
