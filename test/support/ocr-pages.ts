/**
 * Generated scanned pages with known text, for OCR tests and the OCR benchmark: clinical text rendered at 300 dpi
 * with ImageMagick in a DejaVu font (Debian fonts-dejavu-core), then, as a scanner and a careless feeder would,
 * turned a little, speckled with noise and saved as JPEG; and multi-page TIFF and PDF files made from such pages.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config/config.js';
import type { OcrToolPaths } from '../../src/modules/ocr/index.js';

const run = promisify(execFile);

/** Letter paper at 300 dpi. */
export const PAGE_WIDTH = 2550;
export const PAGE_HEIGHT = 3300;
const MARGIN = 150;

export const FONTS = {
  serif: '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf',
  sans: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
} as const;

/** Four pages of made-up clinical text (no real patient): mixed case, digits, units, codes and punctuation. */
export const CLINICAL_PAGES: readonly string[] = [
  `DISCHARGE SUMMARY
Admitted 03/14/2026 with shortness of breath and bilateral leg swelling. Vital signs on arrival: BP 128/76, HR 92, RR 20, SpO2 94% on room air, temperature 37.2 C. Laboratory results showed BNP 1,240 pg/mL, creatinine 1.4 mg/dL, potassium 4.1 mmol/L and HbA1c 7.2%.
Hospital course: The patient received IV furosemide 40 mg twice daily with a net diuresis of 3.5 L over 72 hours. Echocardiogram demonstrated an ejection fraction of 30-35% (reduced) with moderate mitral regurgitation. Metoprolol succinate 25 mg daily was started; lisinopril was held for acute kidney injury and resumed at 2.5 mg on day 4.
Diagnoses: (1) Acute on chronic systolic heart failure, I50.23; (2) Type 2 diabetes mellitus with hyperglycemia, E11.65; (3) Chronic kidney disease, stage 3a, N18.31.
Follow-up: Cardiology clinic in 7-10 days; repeat BMP on 03/21/2026. Call 555-0142 with weight gain over 2 lb/day or 5 lb/week.`,
  `OPERATIVE NOTE
Date of procedure: 04/02/2026. Preoperative diagnosis: Acute appendicitis. Postoperative diagnosis: Acute suppurative appendicitis without perforation, K35.80.
Procedure: Laparoscopic appendectomy (0DTJ4ZZ). Anesthesia: General endotracheal. Estimated blood loss: 15 mL. Specimens: Appendix to pathology. Drains: None. Complications: None apparent.
Findings: An inflamed, non-perforated appendix measuring 8.5 x 1.2 cm with surrounding fibrinous exudate; no abscess.
Description: After informed consent, the patient was placed supine and a 12-mm umbilical port was placed by open technique. Pneumoperitoneum was established to 15 mmHg. Two 5-mm ports were placed under direct vision. The mesoappendix was divided with the harmonic scalpel and the base was stapled with a 45-mm endoscopic stapler. Irrigation returned clear. Fascia was closed with 0 Vicryl; skin with 4-0 Monocryl.
Disposition: Stable to PACU; clear liquids tonight, discharge expected on 04/03/2026.`,
  `CONSULTATION
Reason for consultation: Hyponatremia (Na 126 mmol/L) in a 78-year-old on hydrochlorothiazide 25 mg daily.
History: Two weeks of fatigue and unsteady gait; one fall on 05/11/2026 without loss of consciousness. Fluid intake about 3 L/day. No vomiting, diarrhea or new medications besides sertraline 50 mg started 6 weeks ago.
Examination: BP 142/84 (supine), 138/80 (standing); HR 78; weight 61.4 kg. Mucous membranes moist, no edema, no JVD.
Data: Serum osmolality 262 mOsm/kg; urine osmolality 410 mOsm/kg; urine sodium 48 mmol/L; TSH 2.1 mIU/L; AM cortisol 16 mcg/dL.
Assessment: Euvolemic hypotonic hyponatremia, most consistent with thiazide effect and SIADH from SSRI use (E87.1).
Recommendations: Stop hydrochlorothiazide; fluid restriction to 1.2 L/day; sodium every 8 hours, correction not to exceed 8 mmol/L in 24 h; consider switching sertraline if sodium stays below 130.`,
  `PROGRESS NOTE
Subjective: Feels better today; pain 3/10, down from 7/10 yesterday. Tolerating a regular diet. Walked 150 feet with physical therapy.
Objective: T 36.8 C, BP 118/72, HR 84, RR 16, SpO2 97% on 2 L nasal cannula. Incision clean, dry and intact. Lungs with faint bibasilar crackles.
Labs: WBC 9.8 x 10^3/uL (from 14.2), Hgb 11.3 g/dL, platelets 255, INR 1.1, glucose 142 mg/dL.
Assessment and plan: Postoperative day 2 after right hemicolectomy; ileus resolving. Wean oxygen to room air and encourage incentive spirometry 10 times an hour. Continue enoxaparin 40 mg SC daily. Convert to oral oxycodone 5 mg every 4 hours as needed. Anticipate discharge on 06/09/2026 if afebrile for 24 h.`,
];

/** The first line of each page, to tell the pages apart (and in order) in what was read. */
export const headingOf = (text: string): string => text.split('\n')[0]!;

export interface PageStyle {
  font?: keyof typeof FONTS;
  /** Clockwise turn in degrees, as a page fed askew (0 for none). */
  skewDegrees?: number;
  /** Gaussian scanner noise (0 for none; 0.5 is visible speckle). */
  noise?: number;
  /** JPEG quality 1..100; omitted: PNG. */
  jpegQuality?: number;
  /** Only the top `heightFraction` of a page (quicker tests). */
  heightFraction?: number;
}

function imagemagick(): string {
  return loadConfig().imagemagickPath;
}

/** The OCR programs the settings name (CUSTODIAN_TESSERACT, ...; Debian paths by default). */
export function ocrToolPaths(): OcrToolPaths {
  const c = loadConfig();
  return { tesseract: c.tesseractPath, pdftoppm: c.pdftoppmPath, pdfinfo: c.pdfinfoPath, imagemagick: c.imagemagickPath };
}

/** One page of `text` at 300 dpi as PNG or JPEG bytes. */
export async function renderPage(text: string, style: PageStyle = {}): Promise<Buffer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-ocr-page-'));
  try {
    const height = Math.round(PAGE_HEIGHT * (style.heightFraction ?? 1));
    const out = path.join(dir, style.jpegQuality === undefined ? 'page.png' : 'page.jpg');
    const args = ['-density', '300', '-units', 'PixelsPerInch', '-size', `${PAGE_WIDTH - 2 * MARGIN}x`];
    args.push('-font', FONTS[style.font ?? 'serif'], '-pointsize', '11', '-background', 'white', `caption:${text.replaceAll('%', '%%')}`); // % starts ImageMagick's escapes
    args.push('-gravity', 'north', '-extent', `${PAGE_WIDTH - 2 * MARGIN}x${height - 2 * MARGIN}`, '-bordercolor', 'white');
    args.push('-border', String(MARGIN));
    if (style.skewDegrees) {
      args.push('-rotate', String(style.skewDegrees), '-gravity', 'center', '-extent', `${PAGE_WIDTH}x${height}`, '+repage');
    }
    if (style.noise) args.push('-seed', '16', '-attenuate', String(style.noise), '+noise', 'Gaussian'); // the same noise every run
    args.push('-colorspace', 'Gray', '-depth', '8');
    if (style.jpegQuality !== undefined) args.push('-quality', String(style.jpegQuality), `jpeg:${out}`);
    else args.push(`png:${out}`);
    await run(imagemagick(), args);
    return fs.readFileSync(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A multi-page TIFF (grey, LZW) of the given PNG or JPEG pages, in order. */
export async function makeTiff(pages: readonly Buffer[]): Promise<Buffer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-ocr-tiff-'));
  try {
    const inputs = pages.map((p, i) => {
      const f = path.join(dir, `p${i}`);
      fs.writeFileSync(f, p);
      return f;
    });
    const out = path.join(dir, 'out.tif');
    await run(imagemagick(), [...inputs, '-compress', 'LZW', '-units', 'PixelsPerInch', '-density', '300', `tiff:${out}`]);
    return fs.readFileSync(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Width, height and components of a JPEG, from its start-of-frame marker (ITU-T T.81, B.2.2). */
export function jpegSize(bytes: Buffer): { width: number; height: number; components: number } {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) throw new Error('not a JPEG marker');
    const marker = bytes[at + 1]!;
    const length = bytes.readUInt16BE(at + 2);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7), components: bytes[at + 9]! };
    at += 2 + length;
  }
  throw new Error('JPEG without a frame header');
}

/**
 * A PDF whose pages are the given JPEGs, each filling a page at `dpi` (as a scanner writes them: one image a page,
 * DCTDecode; ISO 32000-1 sections 7.5 file structure, 8.9 images).
 */
export function makePdfFromJpegs(jpegs: readonly Buffer[], dpi = 300): Buffer {
  const chunks: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const write = (b: Buffer | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    chunks.push(buf);
    length += buf.length;
  };
  const object = (n: number, body: (string | Buffer)[]) => {
    offsets[n] = length;
    write(`${n} 0 obj\n`);
    body.forEach(write);
    write('\nendobj\n');
  };
  write('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  const pageIds = jpegs.map((_, i) => 3 + i * 3);
  object(1, ['<< /Type /Catalog /Pages 2 0 R >>']);
  object(2, [`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${jpegs.length} >>`]);
  jpegs.forEach((jpeg, i) => {
    const { width, height, components } = jpegSize(jpeg);
    const [page, content, image] = [pageIds[i]!, pageIds[i]! + 1, pageIds[i]! + 2];
    const w = (width * 72) / dpi;
    const h = (height * 72) / dpi;
    const draw = `q ${w} 0 0 ${h} 0 0 cm /Im0 Do Q`;
    object(page, [
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /XObject << /Im0 ${image} 0 R >> >> /Contents ${content} 0 R >>`,
    ]);
    object(content, [`<< /Length ${draw.length} >>\nstream\n${draw}\nendstream`]);
    const colorSpace = components === 1 ? '/DeviceGray' : '/DeviceRGB';
    object(image, [
      `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace ${colorSpace} /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`,
      jpeg,
      '\nendstream',
    ]);
  });
  const size = 3 + jpegs.length * 3;
  const xref = length;
  write(`xref\n0 ${size}\n0000000000 65535 f \n`);
  for (let n = 1; n < size; n++) write(`${String(offsets[n]).padStart(10, '0')} 00000 n \n`);
  write(`trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(chunks);
}
