import { createHash } from 'node:crypto';
import type { PublicFeed } from '../../shared/schemas/library';
import type { PublicReminder } from '../../shared/schemas/reminders';

/**
 * The public page is plain server-rendered HTML with no script at all. Every value that came
 * from a person goes through `esc` (text and attributes alike), links are http(s) only (the
 * API refuses anything else) and carry rel="nofollow noopener noreferrer ugc", and the
 * Content-Security-Policy allows nothing but the one inline stylesheet below (by its hash),
 * so even a mistake in escaping could not run code or load anything.
 */
export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1d232a;--muted:#5b6570;--bg:#fbfaf7;--card:#fff;--line:#e4e1da}
@media (prefers-color-scheme:dark){:root{--fg:#e8e6e1;--muted:#a7adb4;--bg:#16191d;--card:#1f2328;--line:#30353b}}
*{box-sizing:border-box}body{margin:0;font:17px/1.6 Georgia,'Iowan Old Style',serif;color:var(--fg);background:var(--bg)}
main{max-width:44rem;margin:0 auto;padding:2.5rem 1.25rem 4rem}
header h1{font:600 1.15rem/1.3 system-ui,sans-serif;margin:0 0 2rem}header p{color:var(--muted);font:0.9rem system-ui,sans-serif}
article{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1.25rem 1.5rem;margin:0 0 1rem}
blockquote{margin:0;white-space:pre-wrap;overflow-wrap:anywhere;font-size:1.2rem}
footer,.note{color:var(--muted);font:0.92rem/1.5 system-ui,sans-serif;margin-top:.75rem;overflow-wrap:anywhere}
.note{white-space:pre-wrap;font-style:italic}a{color:inherit}nav{margin-top:2rem;font:0.95rem system-ui,sans-serif}
`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function layout(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
${head}<style>${STYLE}</style>
</head>
<body><main>
${body}
</main></body>
</html>
`;
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

function item(r: PublicReminder): string {
  const by = r.author ? `— ${esc(r.author)}` : '';
  const source = r.sourceUrl
    ? `<cite><a href="${esc(r.sourceUrl)}" rel="nofollow noopener noreferrer ugc">${esc(r.sourceTitle ?? hostOf(r.sourceUrl))}</a></cite>`
    : r.sourceTitle
      ? `<cite>${esc(r.sourceTitle)}</cite>`
      : '';
  const footer = by || source ? `<footer>${[by, source].filter(Boolean).join(', ')}</footer>` : '';
  const note = r.note ? `<p class="note">${esc(r.note)}</p>` : '';
  return `<article><blockquote>${esc(r.text)}</blockquote>${footer}${note}</article>`;
}

export function renderPublicPage(feed: PublicFeed): string {
  const base = `/u/${encodeURIComponent(feed.handle)}`;
  const head = `<link rel="alternate" type="application/json" href="${esc(`${base}.json`)}">\n<link rel="alternate" type="text/csv" href="${esc(`${base}.csv`)}">\n`;
  const list = feed.items.length ? feed.items.map(item).join('\n') : '<p>Nothing shared yet.</p>';
  const next = feed.nextCursor
    ? `<nav><a href="${esc(`${base}?cursor=${encodeURIComponent(feed.nextCursor)}`)}">Older reminders →</a></nav>`
    : '';
  const body = `<header><h1>${esc(feed.handle)}’s reminders</h1></header>\n${list}\n${next}\n<nav><a href="${esc(`${base}.json`)}">JSON feed</a> · <a href="${esc(`${base}.csv`)}">CSV</a></nav>`;
  return layout(`${feed.handle} — RemindMe`, body, head);
}

export function renderErrorPage(title: string, message: string): string {
  return layout(title, `<header><h1>${esc(title)}</h1></header>\n<p>${esc(message)}</p>`);
}
