// Summarises CPU profiles of Docket's worker: the top functions by self time, and by file.
// Usage: node --import tsx profile-summary.ts [file.cpuprofile …] [--top N]
// Without files: every profile in results/profiles/.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROFILE_DIR } from './lib/spawn.ts';
import { profileMarkdown, summariseProfile } from './report/profile.ts';

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '20' } },
  allowPositionals: true,
});
const top = Number(values.top);
let files = positionals;
if (files.length === 0) {
  try {
    files = readdirSync(PROFILE_DIR)
      .filter((f) => f.endsWith('.cpuprofile'))
      .sort()
      .map((f) => join(PROFILE_DIR, f));
  } catch {
    files = [];
  }
}
if (files.length === 0) {
  console.error(
    `no profiles: run \`npm run profile\` (or \`npm run bench -- --cpu-prof\`) first; looked in ${PROFILE_DIR}`,
  );
  process.exit(1);
}
for (const file of files) console.log(profileMarkdown(basename(file), summariseProfile(file, top), top));
