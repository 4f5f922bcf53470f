import { existsSync } from 'node:fs';
import { loudSkip } from './skip-notice';

export const FORTUNES_DIR = '/usr/share/games/fortunes';

/** Path of a Debian fortune collection, or null (with a loud notice) when not installed. */
export function fortuneFile(name: string, pkg = 'fortunes'): string | null {
  const path = `${FORTUNES_DIR}/${name}`;
  if (existsSync(path)) return path;
  loudSkip(`Debian's ${pkg} collection`, `tests that import ${path}`, `apt-get install -y ${pkg}`);
  return null;
}
