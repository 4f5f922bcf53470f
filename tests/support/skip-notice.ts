/**
 * A missing system dependency skips its suites with a notice nobody can miss; with
 * CI=true it is a failure instead, because CI must run everything.
 */
export function loudSkip(what: string, suites: string, install: string): void {
  const line = '!'.repeat(78);
  const message = `${what} is not installed: SKIPPING ${suites}.\nInstall it with: ${install}`;
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(`${message}\nCI=true: a skipped suite is a failure.`);
  }
  console.warn(`\n${line}\n${message}\n${line}\n`);
}
