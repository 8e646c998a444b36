/**
 * A page of a TIFF document as PNG, for the web viewer: browsers do not show TIFF. Rendered on request with
 * ImageMagick (by absolute path, never PATH; one thread; a time limit) in a private temporary folder removed
 * afterwards; the page is never stored. Reading it is an audited content read (readContent), hash verified.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { conflict, invalid, notFound } from '../../core/errors.js';
import type { Actor } from '../access/index.js';
import { countTiffPages } from '../ocr/index.js';
import { readContent } from './documents.reading.js';
import { MediaType } from './documents.rules.js';
import type { DocumentsDeps } from './documents.views.js';

/** The port the viewer's page images need: one page (from 1) of a TIFF file as PNG bytes. */
export interface PageImageRenderer {
  renderTiffPage(bytes: Uint8Array, page: number, maxSide: number): Promise<Uint8Array>;
}

/** The longest side of a rendered page, in pixels: the viewer's largest zoom of a letter page, or a thumbnail. */
export const PageImageSize = { full: 2400, thumb: 200 } as const;
export type PageImageSize = keyof typeof PageImageSize;

/** A renderer on ImageMagick's `convert` at `imagemagickPath` (Debian `imagemagick`). */
export function createTiffPageRenderer(imagemagickPath: string, opts: { timeoutMs?: number } = {}): PageImageRenderer {
  const timeout = opts.timeoutMs ?? 60_000;
  return {
    async renderTiffPage(bytes, page, maxSide) {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'custodian-page-'));
      try {
        const input = path.join(dir, 'in.tif');
        await fs.writeFile(input, bytes, { mode: 0o600 });
        const args = [
          `tiff:${input}[${page - 1}]`,
          '-auto-orient',
          '-resize',
          `${maxSide}x${maxSide}>`,
          '-background',
          'white',
          '-alpha',
          'remove',
          'png:-',
        ];
        return await new Promise<Uint8Array>((resolve, reject) => {
          execFile(
            imagemagickPath,
            args,
            {
              cwd: dir,
              env: { MAGICK_THREAD_LIMIT: '1', LC_ALL: 'C', TMPDIR: dir, MAGICK_TEMPORARY_PATH: dir },
              encoding: 'buffer',
              maxBuffer: 64 * 1024 * 1024,
              timeout,
              killSignal: 'SIGKILL',
              windowsHide: true,
            },
            (err, stdout) => {
              // The program's error output can name files: it is not kept.
              if (err) reject(new Error('the TIFF page could not be rendered'));
              else resolve(new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.byteLength));
            },
          );
        });
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Page `page` of version `version` of a TIFF document as PNG (at most `size` pixels on its longest side): an audited, hash-verified content read first (so the
 * record-access step decides, including break-the-glass and confidentiality), then the rendering.
 */
export async function renderPageImage(
  deps: DocumentsDeps,
  actor: Actor,
  documentId: string,
  version: number,
  page: number,
  size: PageImageSize = 'full',
): Promise<Uint8Array> {
  const content = await readContent(deps, actor, documentId, version);
  if (content.mediaType !== MediaType.tiff)
    throw invalid('page: page images are rendered for TIFF documents only; read the content of other types');
  if (!deps.pageImages) throw conflict('page images are not available: ImageMagick is not installed on the server');
  if (page > countTiffPages(content.bytes)) throw notFound('page');
  return deps.pageImages.renderTiffPage(content.bytes, page, PageImageSize[size]);
}
