import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeHex, encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/**
 * Session tokens after lucia-auth.com's session guide: `<id>.<secret>`, each 160 random bits.
 * The id finds the row; only a SHA-256 of the secret is stored, so a leaked database cannot
 * be replayed as live sessions, and the comparison is constant-time.
 */
function randomString(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashSecret(secret: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

export function newSessionToken(): { id: string; secretHash: string; token: string } {
  const id = randomString();
  const secret = randomString();
  return { id, secretHash: hashSecret(secret), token: `${id}.${secret}` };
}

const TOKEN_SHAPE = /^([a-z2-7]{32})\.([a-z2-7]{32})$/;

export function parseSessionToken(token: string): { id: string; secret: string } | null {
  const match = TOKEN_SHAPE.exec(token);
  if (!match?.[1] || !match[2]) return null;
  return { id: match[1], secret: match[2] };
}

export function secretMatches(secret: string, storedHash: string): boolean {
  let stored: Uint8Array;
  try {
    stored = decodeHex(storedHash);
  } catch {
    return false;
  }
  return constantTimeEqual(sha256(new TextEncoder().encode(secret)), stored);
}
