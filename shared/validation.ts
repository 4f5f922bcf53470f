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
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = v.getDotPath(issue) ?? '_';
    fields[key] ??= issue.message;
  }
  const first = issues[0];
  const message = first ? first.message : 'The request is not valid.';
  return { message, fields };
}
