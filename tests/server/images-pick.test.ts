import { describe, expect, it } from 'vitest';
import { pickImageUrl } from '../../shared/schemas/images';

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
