/**
 * The only way a stored URL becomes a link. Reminders come from the server, and a
 * `javascript:` URL in an extension page would run with the extension's privileges, so
 * anything but http(s) is shown as nothing at all.
 */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** What to call a source link when the page had no title. */
export function sourceLabel(url: string, title: string | null): string {
  if (title?.trim()) return title.trim();
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
