/**
 * Import cycles in src/, counting type-only imports and re-exports (as madge does): prints every strongly
 * connected group of files, what src/http imports from outside it, and modules that import src/app or src/cli.
 * Exits 1 when a group holds a file of src/http and a file of src/modules, or when src/http imports src/app.
 *
 *   npx tsx scripts/check-import-cycles.ts [--all]   (--all: list every cycle in src/, not only http <-> modules)
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const src = path.join(root, 'src');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return walk(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** The files of src/ a file imports (relative specifiers only; `.js` written for `.ts` files, as NodeNext wants). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((s) => s.startsWith('.'))
    .map((s) => path.resolve(path.dirname(file), s).replace(/\.js$/, '.ts'))
    .filter((p) => fs.existsSync(p));
}

const files = walk(src);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string) => path.relative(root, f);

// Tarjan's strongly connected components.
let index = 0;
const idx = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const onStack = new Set<string>();
const groups: string[][] = [];
function visit(v: string): void {
  idx.set(v, index);
  low.set(v, index++);
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!idx.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v)!, low.get(w)!));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
  }
  if (low.get(v) === idx.get(v)) {
    const g: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      g.push(w);
    } while (w !== v);
    if (g.length > 1 || (graph.get(v) ?? []).includes(v)) groups.push(g.map(rel).sort());
  }
}
for (const f of files) if (!idx.has(f)) visit(f);

const area = (f: string) => {
  const r = rel(f).split(path.sep);
  return r[1] === 'modules' ? `modules/${r[2]}` : (r[1] ?? '');
};
const crossing = groups.filter((g) => g.some((f) => f.startsWith('src/http/')) && g.some((f) => f.startsWith('src/modules/')));
const shown = process.argv.includes('--all') ? groups : crossing;
for (const g of shown) console.log(`cycle of ${g.length} files:\n  ${g.join('\n  ')}`);

// Folder-level edges out of src/http (what the server kit depends on).
const httpOut = new Map<string, Set<string>>();
for (const [f, deps] of graph) {
  if (area(f) !== 'http') continue;
  for (const d of deps)
    if (area(d) !== 'http') (httpOut.get(area(d)) ?? httpOut.set(area(d), new Set()).get(area(d))!).add(`${rel(f)} -> ${rel(d)}`);
}
console.log(`src/http imports: ${[...httpOut.keys()].sort().join(', ') || 'nothing outside src/http'}`);
for (const [a, edges] of [...httpOut].sort()) if (a.startsWith('modules/') || a === 'app') for (const e of edges) console.log(`  ${e}`);

// Modules point inward: one that imports src/app or src/cli depends on the wiring that wires it (listed, not failed).
for (const [f, deps] of graph) {
  if (!area(f).startsWith('modules/')) continue;
  for (const d of deps) if (area(d) === 'app' || area(d) === 'cli') console.log(`outward import: ${rel(f)} -> ${rel(d)}`);
}

const httpToApp = httpOut.has('app');
console.log(`${groups.length} cycle group(s) in src/ (type-only imports counted); ${crossing.length} between src/http and src/modules`);
if (crossing.length > 0 || httpToApp) process.exitCode = 1;
