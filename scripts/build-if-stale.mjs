// `npm start` runs this instead of `npm run build`: `npm install` has just built (the prepare script), and a
// second full build costs a newcomer most of a minute. Rebuilds only when a build input is newer than the
// build's outputs, or an output is missing. Plain Node, no dependencies: it runs before anything is built.
//   node scripts/build-if-stale.mjs           build when stale
//   node scripts/build-if-stale.mjs --check   only say; exit 0 when up to date, 1 when a build is due
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files the build reads besides src/ and web/. Not package.json or package-lock.json: npm may rewrite them
 * after the prepare script has built, and a change of dependencies comes with `npm install`, which builds.
 */
const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'vite.config.ts'];
/** Written by every full build (tsc emits all files; vite empties dist/web first). */
const OUTPUTS = ['dist/cli/main.js', 'dist/web/index.html'];
/** Tests are not built: changing one must not trigger a build. */
const NOT_BUILT = /\.test\.tsx?$|\.test-support\.ts$|\.bench\.ts$/;

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
};

/**
 * Newest modification time under a folder; folders count too, so a deleted file is a change (adding or
 * removing a test file then also counts: a spare build, never a stale one).
 */
function newest(dir) {
  let latest = mtime(dir) ?? 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (!NOT_BUILT.test(entry.name)) latest = Math.max(latest, mtime(path) ?? 0);
  }
  return latest;
}

const built = OUTPUTS.map(mtime);
const inputs = Math.max(newest('src'), newest('web'), ...INPUT_FILES.map((f) => mtime(f) ?? 0));
const oldestOutput = built.includes(undefined) ? -Infinity : Math.min(...built);
if (oldestOutput >= inputs) {
  process.stdout.write('build is up to date (dist/ is newer than src/ and web/); skipping it\n');
} else {
  const why = built.includes(undefined) ? 'not built yet' : 'sources changed since the last build';
  if (process.argv.includes('--check')) {
    process.stdout.write(`a build is due (${why})\n`);
    process.exit(1);
  }
  process.stdout.write(`building (${why})\n`);
  const r = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
  process.exit(r.status ?? 1);
}
