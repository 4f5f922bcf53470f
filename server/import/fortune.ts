export type ImportEntry = { text: string; author?: string };

/**
 * The fortune(6) format: entries separated by a line holding only `%`. A final line
 * `-- Name` (usually indented with tabs) is the attribution. Tabs and trailing spaces used
 * for layout are kept inside the text, since many entries are verse or ASCII art whose
 * shape matters; only blank lines around an entry are dropped.
 */
export function parseFortunes(input: string): ImportEntry[] {
  const entries: ImportEntry[] = [];
  const lines = input.replace(/^\uFEFF/, '').split(/\r?\n/);
  let current: string[] = [];
  const flush = () => {
    const entry = toEntry(current);
    if (entry) entries.push(entry);
    current = [];
  };
  for (const line of lines) {
    if (line.trimEnd() === '%') flush();
    else current.push(line);
  }
  flush();
  return entries;
}

function toEntry(lines: string[]): ImportEntry | null {
  while (lines.length && !lines[0]?.trim()) lines.shift();
  while (lines.length && !lines.at(-1)?.trim()) lines.pop();
  if (!lines.length) return null;
  let author: string | undefined;
  const attribution = /^\s*--\s*(\S.*?)\s*$/.exec(lines.at(-1) ?? '');
  if (attribution?.[1] && lines.length > 1) {
    author = attribution[1];
    lines.pop();
    while (lines.length && !lines.at(-1)?.trim()) lines.pop();
  }
  const text = lines.map((line) => line.trimEnd()).join('\n');
  return author ? { text, author } : { text };
}
