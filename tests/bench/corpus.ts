import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFortunes } from '../../server/import/fortune';

const DIR = '/usr/share/games/fortunes';

/**
 * Real sayings for benchmarks: every Debian fortune collection installed (English and, with
 * fortunes-zh, Chinese), or a small made-up set when none is (the figures then say so).
 */
export function sayings(): { texts: { text: string; author?: string }[]; real: boolean } {
  const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => !/\.(dat|u8)$/.test(f)) : [];
  const texts = files.flatMap((f) => parseFortunes(readFileSync(join(DIR, f), 'utf8')));
  if (texts.length > 1000) return { texts, real: true };
  const words =
    'love time life world people hope courage light water river stone garden patience wisdom'.split(' ');
  return {
    real: false,
    texts: Array.from({ length: 5000 }, (_, i) => ({
      text: Array.from({ length: 12 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' '),
    })),
  };
}
