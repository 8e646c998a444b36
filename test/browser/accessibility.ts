/**
 * WCAG 2.1 AA checks for the browser tests (issue 26): axe-core (the npm package, evaluated in the page so the app's
 * CSP does not apply) with the WCAG 2.0/2.1 A and AA rules, plus a computed contrast check of every visible control's
 * text against its own effective background — what axe leaves as "needs review" (a 1:1 ratio, translucent layers).
 * `expectAccessible(page, label)` fails with every finding listed. A screen tracker records every screen a test page
 * visits, so a suite that visits a screen without checking it fails at `close()` (see test/browser/README.md).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { repoRoot } from '../../src/config/config.js';

/** The axe rule tags of WCAG 2.0 and 2.1, levels A and AA. */
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

let axeSource: string | undefined;
function axeScript(): string {
  axeSource ??= readFileSync(path.join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  return axeSource;
}

/** One thing that fails WCAG 2.1 AA on a screen: the axe rule (or `control-contrast`) and where. */
export interface AccessibilityFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeResult {
  id: string;
  impact?: string | null;
  help: string;
  nodes: AxeNode[];
}

/** Waits until no loading indicator is shown, so the check sees the screen, not its spinner. */
async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => document.readyState === 'complete' && document.querySelector('.loading') === null, undefined, {
    timeout: 15_000,
  });
}

/** axe-core's WCAG 2.0/2.1 A/AA violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<AccessibilityFinding[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axeScript());
  const results = await page.evaluate(
    async (tags) => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> } }).axe;
      const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return r.violations;
    },
    [...wcagTags],
  );
  return (results as AxeResult[]).map((v) => ({
    rule: v.id,
    impact: v.impact ?? 'unknown',
    help: v.help,
    targets: v.nodes.map(
      (n) => `${n.target.map(String).join(' ')}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ')})` : ''}`,
    ),
  }));
}

/**
 * Every visible, enabled control (button, link, tab, summary, button-like input) whose text falls short of WCAG
 * 1.4.3 against the background it is drawn on: 4.5:1, or 3:1 for large text (24px, or 18.66px bold). The background
 * is the element's and its ancestors' background colours composited until opaque; text colour alpha and opacity are
 * composited over it. Layers with a background image are not decided here (axe checks those).
 */
export async function controlContrastFindings(page: Page): Promise<AccessibilityFinding[]> {
  const failures = await page.evaluate(() => {
    type Rgba = [number, number, number, number];
    const parse = (c: string): Rgba | null => {
      const m = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(c.trim());
      if (!m) return null;
      return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
    };
    const over = (top: Rgba, bottom: Rgba): Rgba => {
      const a = top[3] + bottom[3] * (1 - top[3]);
      if (a === 0) return [0, 0, 0, 0];
      const ch = (i: number) => (top[i]! * top[3] + bottom[i]! * bottom[3] * (1 - top[3])) / a;
      return [ch(0), ch(1), ch(2), a];
    };
    const luminance = (c: Rgba) => {
      const lin = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
    };
    const ratio = (a: Rgba, b: Rgba) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
      return (hi + 0.05) / (lo + 0.05);
    };
    /** The colour behind `el`, or null when an image or gradient is part of it. */
    const background = (el: Element): Rgba | null => {
      const layers: Rgba[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.backgroundImage !== 'none') return null;
        const c = parse(s.backgroundColor);
        if (c && c[3] > 0) {
          layers.push(c);
          if (c[3] >= 1) break;
        }
      }
      let bg: Rgba = [255, 255, 255, 1]; // the canvas
      for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i]!, bg);
      return bg;
    };
    const opacity = (el: Element) => {
      let o = 1;
      for (let e: Element | null = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
      return o;
    };
    const describe = (el: Element) => {
      const id = el.id ? `#${el.id}` : '';
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      return `${el.tagName.toLowerCase()}${id}${cls} "${el.textContent.trim().slice(0, 40)}"`;
    };
    const selector =
      'button, a[href], [role=button], [role=link], [role=tab], [role=menuitem], summary, input[type=button], input[type=submit], input[type=reset]';
    const out: string[] = [];
    for (const control of Array.from(document.querySelectorAll(selector))) {
      if (control.matches(':disabled, [aria-disabled=true]')) continue; // WCAG 1.4.3: inactive components are exempt
      if (!control.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      const rect = control.getBoundingClientRect();
      if (rect.width <= 1 || rect.height <= 1 || rect.right <= 0 || rect.bottom <= 0) continue; // off-screen (skip link)
      const carriers = new Set<Element>();
      if (control instanceof HTMLInputElement) carriers.add(control);
      const walker = document.createTreeWalker(control, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.textContent?.trim() && n.parentElement) carriers.add(n.parentElement);
      }
      for (const el of carriers) {
        if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
        const s = getComputedStyle(el);
        const fg = parse(s.color);
        const bg = background(el);
        if (!fg || !bg) continue;
        const text: Rgba = [fg[0], fg[1], fg[2], fg[3] * opacity(el)];
        const r = ratio(over(text, bg), bg);
        const size = Number.parseFloat(s.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
        const need = large ? 3 : 4.5;
        if (r < need - 0.005)
          out.push(
            `${describe(el)}: ${r.toFixed(2)}:1 (${s.color} on rgb(${bg.slice(0, 3).map(Math.round).join(', ')})), ${need}:1 needed`,
          );
      }
    }
    return out;
  });
  return failures.length
    ? [
        {
          rule: 'control-contrast',
          impact: 'serious',
          help: 'Control text has at least 4.5:1 contrast with its own background (WCAG 1.4.3)',
          targets: failures,
        },
      ]
    : [];
}

/**
 * Every `aria-describedby` / `aria-labelledby` id that names no element (axe leaves a missing description for
 * review): a field pointing at an error that is not rendered tells a screen reader nothing, or something stale.
 */
export async function brokenReferenceFindings(page: Page): Promise<AccessibilityFinding[]> {
  const broken = await page.evaluate(() => {
    const out: string[] = [];
    for (const attr of ['aria-describedby', 'aria-labelledby']) {
      for (const el of Array.from(document.querySelectorAll(`[${attr}]`))) {
        const missing = (el.getAttribute(attr) ?? '').split(/\s+/).filter((id) => id && !document.getElementById(id));
        if (missing.length) out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} ${attr}: ${missing.join(', ')}`);
      }
    }
    return out;
  });
  return broken.length
    ? [{ rule: 'idref-missing', impact: 'serious', help: 'aria-describedby and aria-labelledby name rendered elements', targets: broken }]
    : [];
}

/** The findings on the page as it is now: axe's violations, the control contrast check and missing id references. */
export async function accessibilityFindings(page: Page): Promise<AccessibilityFinding[]> {
  await settle(page);
  return [...(await axeViolations(page)), ...(await controlContrastFindings(page)), ...(await brokenReferenceFindings(page))];
}

/** A screen's key: its path with ids replaced by `:id`, so each screen is counted once whatever record it shows. */
export function screenKey(url: string): string {
  const { pathname } = new URL(url);
  return pathname
    .split('/')
    .map((s) => (/^\d+$/.test(s) || (s.length >= 8 && /\d/.test(s) && /^[\w-]+$/.test(s)) ? ':id' : s))
    .join('/');
}

/** Which screens the pages of one browser suite visited, and which of them were checked. */
export class ScreenTracker {
  readonly visited = new Set<string>();
  readonly checked = new Set<string>();
  private readonly pages = new WeakSet<Page>();

  /** Records every screen `page` shows from now on. */
  track(page: Page): void {
    if (this.pages.has(page)) return;
    this.pages.add(page);
    trackers.set(page, this);
    page.on('framenavigated', (frame) => {
      if (frame !== page.mainFrame()) return;
      const url = frame.url();
      if (!url.startsWith('http')) return;
      const key = screenKey(url);
      if (key !== '/') this.visited.add(key); // "/" only redirects to the role's home (or is the sign-in page)
    });
  }

  /** Screens a page visited and no `expectAccessible` call checked. */
  unchecked(): string[] {
    return [...this.visited].filter((s) => !this.checked.has(s)).sort();
  }
}

const trackers = new WeakMap<Page, ScreenTracker>();

/** Makes every page `browser.newPage()` opens report its screens to `tracker`. */
export function trackNewPages(browser: Browser, tracker: ScreenTracker): void {
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (...args: Parameters<Browser['newPage']>) => {
    const page = await newPage(...args);
    tracker.track(page);
    return page;
  };
}

/** The findings as one readable message. */
export function formatFindings(label: string, findings: AccessibilityFinding[]): string {
  const lines = findings.flatMap((f) => [`  ${f.rule} (${f.impact}): ${f.help}`, ...f.targets.map((t) => `    - ${t}`)]);
  return `${label}: ${findings.length} WCAG 2.1 AA finding(s)\n${lines.join('\n')}`;
}

/**
 * Fails when the screen `page` shows has any WCAG 2.0/2.1 A/AA violation (axe-core) or any control whose text lacks
 * contrast with its own background; `label` names the screen and role in the message (e.g. "coder: Coding worklist").
 * Marks the screen checked for the suite's tracker.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const findings = await accessibilityFindings(page);
  if (findings.length) throw new Error(formatFindings(label, findings));
  trackers.get(page)?.checked.add(screenKey(page.url()));
}

/**
 * What the focused element shows: its outline (or box-shadow ring) and the contrast of that indicator with the
 * background around the element (WCAG 2.4.7 focus visible; 1.4.11 non-text contrast 3:1). `visible` is false
 * when nothing marks the focus; `ratio` is null when the colours cannot be read (a gradient behind).
 */
export async function focusIndicator(page: Page): Promise<{ element: string; visible: boolean; ratio: number | null }> {
  return page.evaluate(() => {
    type Rgb = [number, number, number];
    const el = document.activeElement;
    if (!el || el === document.body) return { element: 'body', visible: false, ratio: null };
    const parse = (c: string): Rgb | null => {
      const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(c);
      return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
    };
    const lum = (c: Rgb) =>
      c.map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      }) as Rgb;
    const luminance = (c: Rgb) => {
      const [r, g, b] = lum(c);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && Number.parseFloat(s.outlineWidth) >= 1;
    const ring = s.boxShadow !== 'none';
    const color = parse(outline ? s.outlineColor : ring ? s.boxShadow : '');
    // The indicator is drawn around the element: compare with the first opaque background from its parent up.
    let bg: Rgb = [255, 255, 255];
    for (let e: Element | null = el.parentElement; e; e = e.parentElement) {
      const b = getComputedStyle(e);
      const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(b.backgroundColor);
      if (m && (m[4] === undefined || Number(m[4]) >= 1)) {
        bg = [Number(m[1]), Number(m[2]), Number(m[3])];
        break;
      }
    }
    const ratio = color ? (Math.max(luminance(color), luminance(bg)) + 0.05) / (Math.min(luminance(color), luminance(bg)) + 0.05) : null;
    const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30)}"`;
    return { element: name, visible: outline || ring, ratio };
  });
}
