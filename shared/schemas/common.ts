import * as v from 'valibot';

/** Rejects unpaired UTF-16 surrogates, which utf8mb4 cannot store and would silently mangle. */
const WELL_FORMED = /^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

export const wellFormed = () =>
  v.regex<string, string>(WELL_FORMED, 'Contains an invalid character (an unpaired surrogate).');

/**
 * C0 control characters other than tab and line breaks (NUL, backspace, escape …) are never
 * part of what a person meant to keep; they come from terminals and binary files.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * Text captured from a page (PDFs and word processors put vertical tabs and form feeds
 * where lines and pages break) made acceptable without refusing the save: those breaks
 * become line breaks, any other control character is dropped.
 */
export const withoutControlCharacters = (text: string) =>
  // eslint-disable-next-line no-control-regex -- vertical tab and form feed are the point
  text.replace(/[\u000B\u000C]/g, '\n').replace(new RegExp(CONTROL.source, 'g'), '');

export const boundedText = (label: string, max: number) =>
  v.pipe(
    v.string(`${label} must be text.`),
    v.maxLength(
      max,
      (issue) =>
        `${label} is too long: ${Number(issue.received).toLocaleString('en')} characters, the limit is ${max.toLocaleString('en')}.`,
    ),
    wellFormed(),
    v.check((text) => !CONTROL.test(text), `${label} contains a control character.`),
  );

/** Something a reader can see: not only spaces, zero-width or formatting characters. */
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}]/u;

export const hasVisibleText = (text: string) => VISIBLE.test(text);

/**
 * A request object that names every field it accepts: an unknown field is an error (a typo
 * such as `sorceUrl` must not be silently dropped), reported under its own name.
 */
export function contract<const E extends v.ObjectEntries>(entries: E) {
  return v.strictObject(entries, (issue) => {
    if (issue.expected === 'never') return `Unknown field "${String(issue.input)}".`;
    const key = issue.path?.at(-1)?.key;
    return key === undefined ? 'Send a JSON object.' : `"${String(key)}" is required.`;
  });
}

export const IsoDateSchema = v.pipe(v.string(), v.isoTimestamp());

/** Lower-cased: `5CDD…` and `5cdd…` are one id, on SQLite (case-sensitive) as on MySQL. */
export const UuidSchema = v.pipe(
  v.string('Must be an id.'),
  v.uuid('Must be a UUID.'),
  v.transform((id) => id.toLowerCase()),
);

/**
 * Only http(s) sources are kept: the new tab renders the source as a link, and a
 * `javascript:` or `data:` URL there would run code in the extension's origin.
 */
export const HttpUrlSchema = (label: string, max: number) =>
  v.pipe(
    boundedText(label, max),
    v.url(`${label} must be a full URL.`),
    v.check(
      (value) => /^https?:$/i.test(safeProtocol(value)),
      `${label} must start with http:// or https://.`,
    ),
  );

function safeProtocol(value: string): string {
  try {
    return new URL(value).protocol;
  } catch {
    return '';
  }
}
