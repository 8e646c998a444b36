/**
 * Deskewing a scanned page, pure: the skew angle by projection profiles, and the rotation that undoes it, on an
 * 8-bit grey raster (PGM, Netpbm "P5"). A page fed a few degrees askew is the commonest scanning fault, and
 * Tesseract's line finding fails outright on dense text skewed by 2-3 degrees (see README), so every page is
 * straightened before it is read. No files or processes here; the engine runs this in a worker thread.
 */

/** An 8-bit grey raster: 0 black, 255 white, rows top to bottom. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Reads a binary PGM (P5, maxval up to 255; netpbm.sourceforge.net/doc/pgm.html). Throws on anything else. */
export function parsePgm(bytes: Uint8Array): GrayImage {
  let at = 0;
  const token = (): string => {
    for (;;) {
      while (at < bytes.length && /\s/.test(String.fromCharCode(bytes[at]!))) at++;
      if (bytes[at] !== 0x23) break; // '#' comment to end of line
      while (at < bytes.length && bytes[at] !== 0x0a) at++;
    }
    const start = at;
    while (at < bytes.length && !/\s/.test(String.fromCharCode(bytes[at]!))) at++;
    return String.fromCharCode(...bytes.subarray(start, at));
  };
  if (token() !== 'P5') throw new Error('not a binary PGM');
  const width = Number(token());
  const height = Number(token());
  const maxval = Number(token());
  at++; // the single white-space character before the raster
  if (!(width > 0 && height > 0 && maxval > 0 && maxval < 256)) throw new Error('unsupported PGM header');
  if (bytes.length - at < width * height) throw new Error('truncated PGM raster');
  const data = bytes.slice(at, at + width * height);
  if (maxval !== 255) for (let i = 0; i < data.length; i++) data[i] = Math.round((data[i]! * 255) / maxval);
  return { width, height, data };
}

/** Writes a binary PGM (P5, maxval 255). */
export function encodePgm(img: GrayImage): Uint8Array {
  const header = new TextEncoder().encode(`P5\n${img.width} ${img.height}\n255\n`);
  const out = new Uint8Array(header.length + img.data.length);
  out.set(header, 0);
  out.set(img.data, header.length);
  return out;
}

/** The grey level that best separates ink from paper (Otsu 1979, maximum between-class variance). */
export function otsuThreshold(data: Uint8Array): number {
  const hist = new Float64Array(256);
  for (const v of data) hist[v]!++;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * hist[i]!;
  let weightB = 0;
  let sumB = 0;
  let best = 0;
  let threshold = 127;
  for (let t = 0; t < 256; t++) {
    weightB += hist[t]!;
    const weightF = data.length - weightB;
    if (weightB === 0) continue;
    if (weightF === 0) break;
    sumB += t * hist[t]!;
    const between = weightB * weightF * (sumB / weightB - (sumAll - sumB) / weightF) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/** Ink pixels, sampled on a grid, as coordinates about the page centre. */
interface InkPoints {
  xs: Float64Array;
  ys: Float64Array;
  n: number;
  step: number;
}

function inkPoints(img: GrayImage, step: number, maxPoints: number): InkPoints {
  const t = otsuThreshold(img.data);
  const cx = img.width / 2;
  const cy = img.height / 2;
  let xs = new Float64Array(1024);
  let ys = new Float64Array(1024);
  let n = 0;
  for (let y = 0; y < img.height; y += step) {
    const row = y * img.width;
    for (let x = 0; x < img.width; x += step) {
      if (img.data[row + x]! > t) continue;
      if (n === xs.length) {
        if (n >= maxPoints) return { xs, ys, n, step };
        const grow = (a: Float64Array) => {
          const b = new Float64Array(a.length * 2);
          b.set(a);
          return b;
        };
        xs = grow(xs);
        ys = grow(ys);
      }
      xs[n] = x - cx;
      ys[n] = y - cy;
      n++;
    }
  }
  return { xs, ys, n, step };
}

/**
 * How sharply the ink falls into rows when the page is read along lines at `degrees`: the sum of squared
 * differences between neighbouring rows of the projection profile (Postl's criterion, as in Bloomberg, Kopec and
 * Dasari, "Measuring document image skew and orientation", SPIE 2422, 1995). Text lines at that angle make tall,
 * narrow peaks; other angles smear them out.
 */
function profileSharpness(points: InkPoints, degrees: number, rows: Float64Array, half: number): number {
  rows.fill(0);
  const tan = Math.tan((degrees * Math.PI) / 180);
  // Rows as tall as the sampling step: finer ones would alias with the sampled grid (every other row empty at 0°).
  const inv = 1 / points.step;
  for (let i = 0; i < points.n; i++) {
    const r = Math.round((points.ys[i]! - points.xs[i]! * tan) * inv) + half;
    if (r >= 0 && r < rows.length) rows[r]!++;
  }
  let score = 0;
  for (let r = 1; r < rows.length; r++) score += (rows[r]! - rows[r - 1]!) ** 2;
  return score;
}

export interface SkewOptions {
  /** Largest skew looked for, in degrees either way (default 5). */
  maxDegrees?: number;
  /** Ink sampled every this many pixels across and down (default 2: 150 points an inch at 300 dpi). */
  step?: number;
}

/**
 * The skew of a page's text lines in degrees, clockwise positive (lines running down to the right), as found by
 * projection profiles: a coarse search every 0.2 degree within ±maxDegrees, then a fine one every 0.02 degree
 * about the best. 0 for a page with too little ink to tell (blank, a few words) or whose best angle is no
 * sharper than level.
 */
export function estimateSkewDegrees(img: GrayImage, opts: SkewOptions = {}): number {
  const maxDegrees = opts.maxDegrees ?? 5;
  const step = opts.step ?? 2;
  const points = inkPoints(img, step, 2_000_000);
  if (points.n < 200) return 0;
  const half = Math.ceil(Math.hypot(img.width, img.height) / 2) + 2;
  const rows = new Float64Array(2 * half + 1);
  const search = (from: number, to: number, by: number, start: { degrees: number; score: number }) => {
    let best = start;
    for (let d = from; d <= to + 1e-9; d += by) {
      const score = profileSharpness(points, d, rows, half);
      if (score > best.score) best = { degrees: d, score };
    }
    return best;
  };
  const level = { degrees: 0, score: profileSharpness(points, 0, rows, half) };
  const coarse = search(-maxDegrees, maxDegrees, 0.2, level);
  const fine = search(coarse.degrees - 0.2, coarse.degrees + 0.2, 0.02, coarse);
  return Math.round(fine.degrees * 100) / 100;
}

/**
 * The page turned by `degrees` counter-clockwise (undoing a clockwise skew of that size), bilinear, on a canvas
 * grown to hold all of it, uncovered corners white.
 */
export function rotateGray(img: GrayImage, degrees: number): GrayImage {
  const rad = (degrees * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const width = Math.ceil(Math.abs(img.width * cos) + Math.abs(img.height * sin));
  const height = Math.ceil(Math.abs(img.width * sin) + Math.abs(img.height * cos));
  const out = new Uint8Array(width * height).fill(255);
  const { width: w, height: h, data } = img;
  const scx = w / 2 - 0.5;
  const scy = h / 2 - 0.5;
  const dcx = width / 2 - 0.5;
  const dcy = height / 2 - 0.5;
  for (let y = 0; y < height; y++) {
    const dy = y - dcy;
    // The source of an output pixel is the output point turned clockwise by the same angle.
    let sx = -dcx * cos - dy * sin + scx;
    let sy = -dcx * sin + dy * cos + scy;
    const row = y * width;
    for (let x = 0; x < width; x++, sx += cos, sy += sin) {
      if (sx < 0 || sy < 0 || sx > w - 1 || sy > h - 1) continue;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * w + x0;
      const x1 = x0 + 1 < w ? 1 : 0;
      const y1 = y0 + 1 < h ? w : 0;
      const top = data[i]! + (data[i + x1]! - data[i]!) * fx;
      const bottom = data[i + y1]! + (data[i + y1 + x1]! - data[i + y1]!) * fx;
      out[row + x] = Math.round(top + (bottom - top) * fy);
    }
  }
  return { width, height, data: out };
}

/** Skews smaller than this are left alone: resampling would cost more sharpness than the tilt costs Tesseract. */
export const MIN_DESKEW_DEGREES = 0.1;

/** The page straightened: its skew estimated and, when it is worth it, turned back. Returns the angle found. */
export function deskewGray(img: GrayImage, opts: SkewOptions = {}): { image: GrayImage; degrees: number } {
  const degrees = estimateSkewDegrees(img, opts);
  if (Math.abs(degrees) < MIN_DESKEW_DEGREES) return { image: img, degrees };
  return { image: rotateGray(img, degrees), degrees };
}
