import * as v from 'valibot';

/**
 * Turns valibot issues into `{ field: message }` plus one summary line, so a form can show
 * each message beside its field and a notification can show the summary. The first issue
 * per field wins: one clear message beats three overlapping ones.
 */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): {
  message: string;
  fields: Record<string, string>;
} {
  // A Map, not `{}`: field names such as "constructor" or "__proto__" are inherited keys of
  // a plain object and would be lost.
  const byField = new Map<string, string>();
  for (const issue of issues) {
    const key = v.getDotPath(issue) ?? '_';
    if (!byField.has(key)) byField.set(key, issue.message);
  }
  const fields: Record<string, string> = Object.fromEntries(byField);
  const first = issues[0];
  const message = first ? first.message : 'The request is not valid.';
  return { message, fields };
}
