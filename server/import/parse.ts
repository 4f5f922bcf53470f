import type { ImportFormat } from '../../shared/schemas/library';
import { parseCsvFile } from './csv';
import { parseFortuneFile } from './fortune';
import { parseJsonExport } from './json';
import { parseKindle } from './kindle';
import { parseReadwise } from './readwise';
import type { Parsed } from './text';

/** One parser per format, each in its own file; all return entries in file order. */
export const PARSERS: Record<ImportFormat, (text: string) => Parsed> = {
  fortune: parseFortuneFile,
  csv: parseCsvFile,
  kindle: parseKindle,
  readwise: parseReadwise,
  json: parseJsonExport,
};
