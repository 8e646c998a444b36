import { describe, expect, it } from 'vitest';
import { deskewGray, encodePgm, estimateSkewDegrees, otsuThreshold, parsePgm, rotateGray, type GrayImage } from './ocr.deskew.js';

/** A page of "text": rows of dark word-sized blocks with gaps, like a paragraph seen from afar. */
function makeTextPage(width = 1200, height = 1500): GrayImage {
  const data = new Uint8Array(width * height).fill(250);
  for (let top = 100; top + 24 < height - 100; top += 48) {
    let x = 100;
    let w = 0;
    while (x < width - 100) {
      const len = 30 + ((x * 7 + top * 3 + w * 13) % 90);
      for (let y = top; y < top + 24; y++) for (let i = x; i < Math.min(x + len, width - 100); i++) data[y * width + i] = 20;
      x += len + 18;
      w++;
    }
  }
  return { width, height, data };
}

const skewed = (img: GrayImage, clockwiseDegrees: number) => rotateGray(img, -clockwiseDegrees);

describe('estimateSkewDegrees', () => {
  it.each([0, 0.5, 1.2, -1.7, 2.5, -3, 4.5])('finds a page turned %f degrees clockwise', (degrees) => {
    expect(Math.abs(estimateSkewDegrees(skewed(makeTextPage(), degrees)) - degrees)).toBeLessThanOrEqual(0.1);
  });
  it('answers 0 for a blank page', () => {
    expect(estimateSkewDegrees({ width: 300, height: 300, data: new Uint8Array(300 * 300).fill(255) })).toBe(0);
  });
  it('looks no further than maxDegrees', () => {
    expect(Math.abs(estimateSkewDegrees(skewed(makeTextPage(), 4), { maxDegrees: 2 }))).toBeLessThanOrEqual(2.2);
  });
});

describe('deskewGray', () => {
  it('straightens a skewed page so that its lines read level again', () => {
    const { image, degrees } = deskewGray(skewed(makeTextPage(), 2.5));
    expect(degrees).toBeCloseTo(2.5, 1);
    expect(Math.abs(estimateSkewDegrees(image))).toBeLessThanOrEqual(0.1);
  });
  it('grows the canvas to hold the turned page, corners white', () => {
    const page = makeTextPage(1000, 1000);
    const turned = rotateGray(page, 3);
    expect(turned.width).toBeGreaterThan(1000);
    expect(turned.height).toBeGreaterThan(1000);
    expect(turned.data[0]).toBe(255);
  });
  it('leaves a level page as it is', () => {
    const page = makeTextPage();
    expect(deskewGray(page).image).toBe(page);
  });
  it('turns by 0 degrees without changing a pixel', () => {
    const page = makeTextPage(200, 300);
    const same = rotateGray(page, 0);
    expect([same.width, same.height]).toEqual([200, 300]);
    expect(Buffer.from(same.data).equals(Buffer.from(page.data))).toBe(true);
  });
});

describe('PGM', () => {
  it('reads back what it writes', () => {
    const img: GrayImage = { width: 3, height: 2, data: Uint8Array.from([0, 128, 255, 1, 2, 3]) };
    expect(parsePgm(encodePgm(img))).toEqual(img);
  });
  it('reads comments and scales a smaller maxval to 255', () => {
    const header = new TextEncoder().encode('P5\n# made by a scanner\n2 1\n15\n');
    const bytes = new Uint8Array([...header, 0, 15]);
    expect(parsePgm(bytes)).toEqual({ width: 2, height: 1, data: Uint8Array.from([0, 255]) });
  });
  it.each([
    ['an ASCII PGM', 'P2\n1 1\n255\n0'],
    ['a 16-bit PGM', 'P5\n1 1\n65535\n\0\0'],
    ['a truncated raster', 'P5\n4 4\n255\nxx'],
  ])('refuses %s', (_name, text) => expect(() => parsePgm(new TextEncoder().encode(text))).toThrow());
});

describe('otsuThreshold', () => {
  it('separates dark ink from light paper', () => {
    const data = new Uint8Array(1000).fill(240);
    data.fill(30, 0, 100);
    const t = otsuThreshold(data);
    expect(t).toBeGreaterThanOrEqual(30);
    expect(t).toBeLessThan(240);
  });
});
