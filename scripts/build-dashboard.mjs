#!/usr/bin/env node
// Builds the web dashboard (src/dashboard, Preact + Vite) into dist/dashboard,
// which the server serves at `/`. Part of `npm run build`, so `npm ci` (via
// `prepare`) leaves a ready dashboard with no extra step. The dashboard is
// type-checked here, with its own DOM/JSX settings, because the root
// tsconfig (Node, NodeNext) excludes it.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = join(root, 'src', 'dashboard');
// `--out <dir>` builds elsewhere (the browser tests build the current source into a temporary directory).
const outAt = process.argv.indexOf('--out');
const outDir = outAt === -1 ? join(root, 'dist', 'dashboard') : resolve(process.argv[outAt + 1] ?? '');

const require = createRequire(import.meta.url);
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
const check = spawnSync(process.execPath, [tsc, '-p', join(source, 'tsconfig.json')], { stdio: 'inherit' });
if (check.status !== 0) {
  console.error('dashboard: type errors (see above)');
  process.exit(check.status ?? 1);
}

await build({
  root: source,
  // Relative asset URLs: the dashboard works wherever the server mounts it.
  base: './',
  configFile: false,
  logLevel: 'warn',
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  build: {
    outDir,
    emptyOutDir: true,
    // One small app: a single chunk keeps the first load to three requests.
    chunkSizeWarningLimit: 400,
    sourcemap: false,
  },
});
console.log(`dashboard: built into ${outDir}`);
