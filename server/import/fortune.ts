import { reflow } from './reflow';
import { emptyParsed, type Parsed } from './text';

export type FortuneEntry = { text: string; author?: string; line: number };

/** Terminal colour codes: some collections (fortunes-zh) colour their text with them. */
// eslint-disable-next-line no-control-regex -- matching the escape character is the point
const ANSI_ESCAPES = /\u001b\[[0-9;]*[A-Za-z]/g;

/**
 * The fortune(6) format: entries separated by a line holding only `%`. A closing
 * `-- Name` line (usually indented with tabs, sometimes wrapped onto an indented second
 * line) is the attribution. Indentation inside the text is kept, since many entries are
 * verse or ASCII art whose shape matters; colour codes, trailing spaces and blank lines
 * around an entry are dropped. Hard-wrapped prose is joined into paragraphs (reflow.ts).
 */
export function parseFortunes(input: string): FortuneEntry[] {
  const entries: FortuneEntry[] = [];
  const lines = stripEscapes(input.replace(/^\uFEFF/, '')).split(/\r?\n/);
  let current: string[] = [];
  // The file line of the entry's first non-blank line, for reports.
  let start = 0;
  lines.forEach((line, i) => {
    if (line.trimEnd() === '%') {
      const entry = toEntry(current);
      if (entry) entries.push({ ...entry, line: start });
      current = [];
      start = 0;
    } else {
      if (!start && line.trim()) start = i + 1;
      current.push(line.trimEnd());
    }
  });
  const last = toEntry(current);
  if (last) entries.push({ ...last, line: start });
  return entries;
}

/** The import format: each saying with its reflowed text and its position in the file. */
export function parseFortuneFile(input: string): Parsed {
  const out = emptyParsed();
  out.entries = parseFortunes(input).map((e, i) => ({
    at: { entry: i + 1, line: e.line },
    text: reflow(e.text),
    author: e.author,
  }));
  return out;
}

/** Some entries nest one colour code inside another (`ESC[;ESC[34;1mm`): strip until none are left. */
function stripEscapes(text: string): string {
  let previous: string;
  do {
    previous = text;
    text = text.replace(ANSI_ESCAPES, '');
  } while (text !== previous);
  // eslint-disable-next-line no-control-regex -- stray escape characters left by broken codes
  return resolveOverstrikes(text.replace(/\u001b/g, '')).replace(CONTROL, '');
}

// eslint-disable-next-line no-control-regex -- what is left of terminal control after the above
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/**
 * Old collections underline and embolden with backspaces, as a printing terminal would:
 * `____\b\b\b\bSOME` is SOME underlined, `H\bH` is a bold H. Each line is replayed on a
 * row of cells, and where two characters land on one cell the one that is not `_` stays.
 */
function resolveOverstrikes(text: string): string {
  if (!text.includes('\b')) return text;
  return text
    .split('\n')
    .map((line) => {
      if (!line.includes('\b')) return line;
      const cells: string[] = [];
      let at = 0;
      for (const ch of line) {
        if (ch === '\b') {
          at = Math.max(0, at - 1);
          continue;
        }
        const under = cells[at];
        cells[at] = under === undefined || under === '_' || under === ' ' || ch !== '_' ? ch : under;
        at++;
      }
      return cells.join('');
    })
    .join('\n');
}

const ATTRIBUTION = /^\s*--\s*(\S.*)$/;

function toEntry(lines: string[]): { text: string; author?: string } | null {
  while (lines.length && !lines[0]?.trim()) lines.shift();
  while (lines.length && !lines.at(-1)?.trim()) lines.pop();
  if (!lines.length) return null;

  // The attribution starts on one of the last three lines; any lines after it must be
  // indented continuations of it.
  for (let i = lines.length - 1; i >= Math.max(1, lines.length - 3); i--) {
    const match = ATTRIBUTION.exec(lines[i] ?? '');
    const continuations = lines.slice(i + 1);
    if (match?.[1] && continuations.every((l) => /^\s/.test(l))) {
      const author = [match[1], ...continuations].map((l) => l.trim()).join(' ');
      const body = lines.slice(0, i);
      while (body.length && !body.at(-1)?.trim()) body.pop();
      if (body.length) return { text: body.join('\n'), author };
    }
    if (!/^\s/.test(lines[i] ?? '')) break;
  }
  return { text: lines.join('\n') };
}
