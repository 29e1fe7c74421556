#!/usr/bin/env node
// Copies every file under src/ that tsc does not emit (anything but .ts:
// SQL migrations and queries, the server's browser files, …) to the same
// relative path under dist/, so the built package finds them next to its
// modules. src/dashboard is skipped: it has its own build (vite).
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const SRC = 'src';
const OUT = 'dist';
const SKIP = new Set([join(SRC, 'dashboard')]);

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (SKIP.has(path)) continue;
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile() && !entry.name.endsWith('.ts')) yield path;
  }
}

let copied = 0;
for (const file of files(SRC)) {
  const target = join(OUT, relative(SRC, file));
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(file, target);
  copied++;
}
console.log(`copy-assets: ${copied} file(s) from ${SRC}/ to ${OUT}/`);
