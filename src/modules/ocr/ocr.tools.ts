/**
 * The programs OCR runs, by absolute path (never looked up on PATH: a look-alike earlier on PATH must not get the
 * pages), each checked at start with the Debian package that provides it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';

/** Absolute paths of the programs the engine runs. */
export interface OcrToolPaths {
  /** Tesseract OCR (Debian tesseract-ocr; English data tesseract-ocr-eng). */
  tesseract: string;
  /** Renders PDF pages (Debian poppler-utils). */
  pdftoppm: string;
  /** Counts PDF pages and their sizes (Debian poppler-utils). */
  pdfinfo: string;
  /** ImageMagick's convert, decodes TIFF, PNG and JPEG (Debian imagemagick). */
  imagemagick: string;
}
export type OcrTool = keyof OcrToolPaths;

/** The Debian package of each program (`apt-get install -y ...`; .ci/run installs them). */
export const debianPackageOf: Readonly<Record<OcrTool, string>> = {
  tesseract: 'tesseract-ocr',
  pdftoppm: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  imagemagick: 'imagemagick',
};

/** A program that is missing or cannot be run, with the package to install. */
export interface MissingOcrTool {
  tool: OcrTool;
  path: string;
  debianPackage: string;
}

/** The programs among `paths` that are not an executable file at an absolute path. */
export function findMissingOcrTools(paths: OcrToolPaths): MissingOcrTool[] {
  const missing: MissingOcrTool[] = [];
  for (const tool of Object.keys(debianPackageOf) as OcrTool[]) {
    const p = paths[tool];
    let ok = p.startsWith('/');
    if (ok) {
      try {
        fs.accessSync(p, fs.constants.X_OK);
        ok = fs.statSync(p).isFile();
      } catch {
        ok = false;
      }
    }
    if (!ok) missing.push({ tool, path: p, debianPackage: debianPackageOf[tool] });
  }
  return missing;
}

/** The engine cannot run: a program or Tesseract's English data is missing. The message says what to install. */
export class OcrSetupError extends Error {
  override readonly name = 'OcrSetupError';
}

/** One line naming what is missing and the package that provides it. */
export function describeMissingTool(m: MissingOcrTool, setting?: string): string {
  const where = setting ? `, or set ${setting} to where it is` : '';
  return `${m.tool} not found at ${m.path}: install the Debian package ${m.debianPackage} (apt-get install -y ${m.debianPackage})${where}`;
}

/** How a program run ended, when it did not succeed. */
export class ToolRunError extends Error {
  override readonly name = 'ToolRunError';
  constructor(
    readonly tool: OcrTool,
    /** exit: non-zero exit code; killed: a signal or the time limit; aborted: the caller's signal. */
    readonly reason: 'exit' | 'killed' | 'aborted' | 'spawn',
    readonly exitCode?: number,
  ) {
    super(`${tool} ${reason === 'exit' ? `exited with code ${exitCode}` : reason === 'spawn' ? 'could not be started' : reason}`);
  }
}

export interface RunToolOptions {
  /** A private folder: the program's working and temporary folder. */
  dir: string;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/**
 * Runs a program with its arguments and answers its standard output. One thread each (OMP_THREAD_LIMIT,
 * MAGICK_THREAD_LIMIT): the engine runs one program per core, and threads on top of that only contend. The
 * environment is only these settings, with temporary files in the caller's private folder (TMPDIR,
 * MAGICK_TEMPORARY_PATH). Its error output is not kept: it can name files, and errors carry no content.
 */
export function runTool(tool: OcrTool, file: string, args: readonly string[], opts: RunToolOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        cwd: opts.dir,
        env: { OMP_THREAD_LIMIT: '1', MAGICK_THREAD_LIMIT: '1', LC_ALL: 'C', TMPDIR: opts.dir, MAGICK_TEMPORARY_PATH: opts.dir },
        encoding: 'buffer',
        maxBuffer: 256 * 1024 * 1024,
        timeout: opts.timeoutMs,
        killSignal: 'SIGKILL',
        signal: opts.signal,
        windowsHide: true,
      },
      (err, stdout) => {
        if (!err) {
          resolve(stdout);
          return;
        }
        const e = err as NodeJS.ErrnoException & { code?: string | number; killed?: boolean; signal?: string | null };
        if (e.name === 'AbortError') reject(new ToolRunError(tool, 'aborted'));
        else if (typeof e.code === 'number') reject(new ToolRunError(tool, 'exit', e.code));
        else if (e.killed || e.signal) reject(new ToolRunError(tool, 'killed'));
        else reject(new ToolRunError(tool, 'spawn'));
      },
    );
  });
}
