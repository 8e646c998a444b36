#!/usr/bin/env node
// Entry point of the `custodian` command. Runs the compiled CLI (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(compiled)) {
  process.stderr.write('custodian: not built yet; run `npm run build` in the repository first\n');
  process.exit(1);
}
await import(compiled);
