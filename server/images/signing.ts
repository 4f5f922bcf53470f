import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Local image URLs carry `exp` (Unix seconds) and `sig`, an HMAC-SHA256 over the file's path
 * and the expiry with a server secret. Without the secret nobody can mint or stretch a URL;
 * changing the path, the width or the expiry breaks the signature. Comparison is constant-time.
 */
export function signPath(secret: string, path: string, expires: number): string {
  return createHmac('sha256', secret).update(`${path}\n${expires}`).digest('base64url');
}

export type SignatureCheck = 'ok' | 'missing' | 'invalid' | 'expired';

export function checkSignature(
  secret: string,
  path: string,
  exp: string | undefined,
  sig: string | undefined,
  now: Date,
): SignatureCheck {
  if (!exp || !sig) return 'missing';
  if (!/^\d{1,12}$/.test(exp)) return 'invalid';
  const expected = Buffer.from(signPath(secret, path, Number(exp)));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  return Number(exp) * 1000 <= now.getTime() ? 'expired' : 'ok';
}

/**
 * The signing secret comes from IMAGE_URL_SECRET, or is generated on first start into the
 * data directory (mode 0600) so it survives restarts and is shared by every process that
 * shares the directory. Never a constant in the code: that would let anyone sign URLs.
 */
export async function loadOrCreateSecret(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  try {
    // `wx`: if another process won the race, use its secret rather than overwrite it.
    await writeFile(file, `${secret}\n`, { flag: 'wx', mode: 0o600 });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readFile(file, 'utf8')).trim();
  }
}
