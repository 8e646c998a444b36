/**
 * The programs scanning runs, by absolute path (never looked up on PATH): pdfinfo and pdftoppm (Debian
 * poppler-utils) count and render PDF pages, ImageMagick's convert splits, renders and joins TIFF pages and makes
 * thumbnails, zbarimg (Debian zbar-tools) reads the barcodes. pdf-lib cuts PDF pages without re-encoding them.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';

export interface ScanToolPaths {
  pdftoppm: string;
  pdfinfo: string;
  imagemagick: string;
  zbarimg: string;
}

/** The Debian package of each program. */
export const scanToolPackages: Readonly<Record<keyof ScanToolPaths, string>> = {
  pdftoppm: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  imagemagick: 'imagemagick',
  zbarimg: 'zbar-tools',
};

/** The programs among `paths` that are not executable files (with their Debian package). */
export async function findMissingScanTools(paths: ScanToolPaths): Promise<string[]> {
  const missing: string[] = [];
  for (const [tool, p] of Object.entries(paths) as [keyof ScanToolPaths, string][]) {
    const ok =
      p.startsWith('/') &&
      (await fs.access(p, fs.constants.X_OK).then(
        () => true,
        () => false,
      ));
    if (!ok) missing.push(`${tool} (${p}; Debian ${scanToolPackages[tool]})`);
  }
  return missing;
}

/** A program failed: the message names the program and its exit, never the file's content. */
export class ScanToolError extends Error {
  override readonly name = 'ScanToolError';
}

function run(file: string, args: string[], opts: { signal?: AbortSignal; okCodes?: number[]; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
        timeout: opts.timeoutMs ?? 300_000,
        signal: opts.signal,
        env: { PATH: '/usr/bin:/bin', LANG: 'C' },
      },
      (err, stdout) => {
        if (err) {
          const code = typeof err.code === 'number' ? err.code : null;
          if (code !== null && opts.okCodes?.includes(code)) resolve(stdout);
          else if (opts.signal?.aborted) reject(new ScanToolError('stopped'));
          else reject(new ScanToolError(`${path.basename(file)} failed (${code ?? String(err.code ?? err.signal ?? 'error')})`));
          return;
        }
        resolve(stdout);
      },
    );
  });
}

/** Files of a folder with this prefix, in name order (the tools number their output with zero padding). */
async function outputs(dir: string, prefix: string): Promise<string[]> {
  return (await fs.readdir(dir))
    .filter((f) => f.startsWith(prefix))
    .sort()
    .map((f) => path.join(dir, f));
}

/** A batch's pages: a grey image of each (for the barcodes and thumbnails) and each page's own content. */
export interface PageFiles {
  rasters: string[];
  /** TIFF only: each page as a single-page TIFF (PDF pages are cut from the original with pdf-lib). */
  tiffPages: string[] | null;
}

/** Renders every page of a batch into `dir` (150 dpi grey PNGs; for TIFF also one TIFF file per page). */
export async function renderPages(
  tools: ScanToolPaths,
  file: string,
  format: 'pdf' | 'tiff',
  dir: string,
  signal?: AbortSignal,
): Promise<PageFiles> {
  if (format === 'pdf') {
    await run(tools.pdftoppm, ['-r', '150', '-gray', '-png', file, path.join(dir, 'r')], { signal });
    return { rasters: await outputs(dir, 'r-'), tiffPages: null };
  }
  await run(tools.imagemagick, [`tiff:${file}`, '+adjoin', path.join(dir, 't-%05d.tif')], { signal });
  const tiffPages = await outputs(dir, 't-');
  await run(tools.imagemagick, [`tiff:${file}`, '-colorspace', 'Gray', path.join(dir, 'r-%05d.png')], { signal });
  return { rasters: await outputs(dir, 'r-'), tiffPages };
}

/** The barcode texts zbarimg reads on an image (none: an empty list). */
export async function readBarcodes(tools: ScanToolPaths, image: string, signal?: AbortSignal): Promise<string[]> {
  // Exit 4: no barcode found. `--raw` prints each symbol's data on a line of its own.
  const out = await run(tools.zbarimg, ['-q', '--raw', image], { signal, okCodes: [4] });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** A small PNG of a page for the QA screen. */
export async function makeThumbnail(tools: ScanToolPaths, image: string, out: string, signal?: AbortSignal): Promise<Uint8Array> {
  await run(tools.imagemagick, [`png:${image}`, '-thumbnail', '240x320', '-strip', `png:${out}`], { signal });
  return new Uint8Array(await fs.readFile(out));
}

/** Pages of a PDF (1-based numbers) as a new PDF, the pages copied as they are. */
export async function cutPdfPages(source: PDFDocument, pages: readonly number[]): Promise<Uint8Array> {
  const out = await PDFDocument.create();
  const copied = await out.copyPages(
    source,
    pages.map((p) => p - 1),
  );
  for (const p of copied) out.addPage(p);
  return out.save();
}

/** Single-page PDFs joined into one, in order. */
export async function joinPdfs(parts: readonly Uint8Array[]): Promise<Uint8Array> {
  const out = await PDFDocument.create();
  for (const bytes of parts) {
    const src = await PDFDocument.load(bytes);
    for (const p of await out.copyPages(src, src.getPageIndices())) out.addPage(p);
  }
  return out.save();
}

/** TIFF files joined into one multi-page TIFF, in order. */
export async function joinTiffs(tools: ScanToolPaths, files: readonly string[], dir: string, signal?: AbortSignal): Promise<Uint8Array> {
  const out = path.join(dir, `joined-${Date.now()}-${Math.random().toString(36).slice(2)}.tif`);
  await run(tools.imagemagick, [...files.map((f) => `tiff:${f}`), '-adjoin', `tiff:${out}`], { signal });
  try {
    return new Uint8Array(await fs.readFile(out));
  } finally {
    await fs.rm(out, { force: true });
  }
}
