import { describe, expect, it } from 'vitest';
import { newTabImagePixels, pickImageUrl } from '../../shared/schemas/images';

describe('which size the new tab downloads', () => {
  const variants = [640, 1280, 1920, 2560].map((width) => ({ width, url: `w${width}` }));
  const photo = { url: 'original', width: 4000, variants };

  it('takes the narrowest size at least as wide as the screen in device pixels', () => {
    expect(pickImageUrl(photo, 1366)).toBe('w1920');
    expect(pickImageUrl(photo, 1920)).toBe('w1920');
    expect(pickImageUrl(photo, 600)).toBe('w640');
  });

  it('never takes a wide original: a wider screen gets the widest size', () => {
    expect(pickImageUrl(photo, 2880)).toBe('w2560');
    expect(pickImageUrl(photo, 7680)).toBe('w2560');
  });

  it('takes an original that is no wider than the widest standard size', () => {
    expect(pickImageUrl({ url: 'original', width: 2000, variants: variants.slice(0, 3) }, 2560)).toBe(
      'original',
    );
    expect(pickImageUrl({ url: 'original', width: 1, variants: [] }, 1920)).toBe('original');
  });
});

describe("the new tab's image box, in device pixels", () => {
  const photo = { width: 4000, height: 2250 };

  it('is at most 1,152 CSS pixels wide, however wide the screen', () => {
    expect(newTabImagePixels({ width: 2560, height: 1440, dpr: 1 }, photo)).toBe(1152);
    expect(newTabImagePixels({ width: 3840, height: 2160, dpr: 1 }, photo)).toBe(1152);
  });

  it('leaves room for the text: at most 60% of the height, by the aspect ratio', () => {
    // 1440 × 900 at 2×: 60% of 900 is 540 CSS pixels tall, 960 wide, 1,920 device pixels.
    expect(newTabImagePixels({ width: 1440, height: 900, dpr: 2 }, photo)).toBe(1920);
    // A portrait photo on a 1080-pixel-tall screen: 648 tall, 486 wide.
    expect(newTabImagePixels({ width: 1920, height: 1080, dpr: 1 }, { width: 3000, height: 4000 })).toBe(486);
  });

  it('at most 92% of a narrow window, and never wider than the image itself', () => {
    expect(newTabImagePixels({ width: 400, height: 900, dpr: 1 }, photo)).toBe(368);
    expect(newTabImagePixels({ width: 1920, height: 1080, dpr: 2 }, { width: 300, height: 200 })).toBe(600);
  });
});
