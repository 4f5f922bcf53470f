/**
 * Fortune files are hard-wrapped for an 80-column terminal. On a new tab, prose reads better
 * as flowing paragraphs, but verse, dialogue, lists and ASCII art must keep their lines.
 * A line break is taken as a wrap, and joined, only when:
 * - the entry is wrapped at all: its longest line is at least MIN_WRAP_WIDTH columns;
 * - most lines of the paragraph are full (poems have short or ragged lines);
 * - this line is full: the next line's first word would not have fitted after it;
 * - the next line is not indented deeper (dialogue, verse, quotations), unless it is the
 *   hanging indent of a list item or a speaker's line ("Q:", "(2)", "- "), and does not
 *   start one itself;
 * - neither line is drawn (runs of spaces or mostly punctuation);
 * - where only some lines are indented, the indented ones start paragraphs (the typewriter
 *   convention), so a line never joins onto the one before it.
 * Blank lines are always kept.
 */
const MIN_WRAP_WIDTH = 56;
/** A line counts as full when the next word would have reached this close to the width. */
const SLACK = 10;

const columns = (line: string) => {
  let n = 0;
  for (const ch of line) n = ch === '\t' ? (Math.floor(n / 8) + 1) * 8 : n + 1;
  return n;
};
const indent = (line: string) => columns(/^\s*/.exec(line)?.[0] ?? '');
const firstWord = (line: string) => /^\s*(\S*)/.exec(line)?.[1] ?? '';
const ITEM_START = /^\s*(?:\(?\d{1,3}[.)]\s|\(?[a-z][.)]\s|[-*•+]\s|[A-Z][\w .'-]{0,24}:\s)/;
const isDrawn = (line: string) => {
  const body = line.trim();
  if (/\S {3,}\S/.test(body)) return true;
  const letters = body.replace(/[^\p{L}\p{N}\s]/gu, '').length;
  return body.length >= 6 && letters < body.length * 0.6;
};

export function reflow(text: string): string {
  const lines = text.split('\n');
  const width = Math.max(0, ...lines.map(columns));
  if (width < MIN_WRAP_WIDTH) return text;
  const full = (line: string, next: string) =>
    columns(line.trimEnd()) + 1 + firstWord(next).length > width - SLACK;
  const joins = (line: string, next: string, mixed: boolean, unitStart: string) => {
    if (!full(line, next) || ITEM_START.test(next) || isDrawn(line) || isDrawn(next)) return false;
    // "Q: a question that goes on\n   onto an indented line": a hanging indent continues the item.
    const hanging = ITEM_START.test(unitStart) && indent(next) > indent(unitStart);
    if (indent(next) > indent(line)) return hanging;
    return !(mixed && indent(next) > 0) || hanging;
  };

  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    const inner = paragraph.slice(0, -1);
    const prose =
      inner.length > 0 && inner.filter((l, i) => full(l, paragraph[i + 1] ?? '')).length * 2 >= inner.length;
    if (!prose) out.push(...paragraph);
    else {
      const mixed = paragraph.some((l) => indent(l) > 0) && paragraph.some((l) => indent(l) === 0);
      // Joined lines, and (typewriter style) indented paragraph starts, lose their indentation.
      const finish = (unit: string, joined: boolean) => (joined || mixed ? tidy(unit) : unit);
      let current = paragraph[0] ?? '';
      let unitStart = current;
      for (let i = 1; i < paragraph.length; i++) {
        const line = paragraph[i] ?? '';
        if (joins(paragraph[i - 1] ?? '', line, mixed, unitStart)) current = glue(current, line);
        else {
          out.push(finish(current, current !== unitStart));
          current = unitStart = line;
        }
      }
      out.push(finish(current, current !== unitStart));
    }
    paragraph = [];
  };
  for (const line of lines) {
    if (line.trim()) paragraph.push(line);
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out.join('\n');
}

/** A word split with a hyphen at the end of a line joins without a space ("well-" + "known"). */
function glue(current: string, next: string): string {
  const head = current.trimEnd();
  const tail = next.trim();
  return /\p{L}-$/u.test(head) && !/--$/.test(head) && /^\p{L}/u.test(tail)
    ? `${head}${tail}`
    : `${head} ${tail}`;
}

/** A reflowed paragraph loses its first-line indent and typewriter double spaces. */
const tidy = (paragraph: string) => paragraph.trim().replace(/([.!?]["')\]]?) {2,}/g, '$1 ');
