/**
 * What the server logs about an unexpected error. Drizzle's wrapper puts every bound value
 * of the failed query into its message ("params: id,email,$argon2id$…"), and drivers echo
 * values too ("Duplicate entry 'x@example.org' …"), so messages of database errors are never
 * logged: only the SQL text (parameterised, so it holds no values), the driver's error code
 * and the stack frames. Other errors keep their message; their stacks are frames only, since
 * a stack's first line repeats the message.
 */
export type ErrorLog = { name: string; message?: string; sql?: string; code?: string; stack: string[] };

const MAX_FRAMES = 12;

export function describeError(error: unknown): ErrorLog {
  if (!(error instanceof Error)) return { name: typeof error, stack: [] };
  const query = (error as { query?: unknown }).query;
  const fromDatabase = typeof query === 'string' || driverCode(error) !== undefined;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, MAX_FRAMES)
    .map((line) => line.trim());
  return {
    name: error.name,
    ...(fromDatabase ? {} : { message: error.message }),
    ...(typeof query === 'string' ? { sql: query } : {}),
    ...(driverCode(error) ? { code: driverCode(error) } : {}),
    stack: frames,
  };
}

/** The first error code along the cause chain (ER_DUP_ENTRY, SQLITE_BUSY, ECONNREFUSED …). */
function driverCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
