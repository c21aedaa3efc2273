import { createHash, randomBytes, timingSafeEqual } from 'crypto';

/**
 * An API key is `pk_<16 hex id>_<43 base64url secret>`: the id finds the stored key with one `_id`
 * lookup, the secret (256 random bits) is checked against its SHA-256. A secret that random needs no
 * slow hash: guessing it is hopeless however fast each guess is.
 */
const TOKEN = /^pk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface MintedKey {
  /** Stored and shown: `k_<16 hex>`. */
  id: string;
  /** Shown once, to its creator; never stored. */
  token: string;
  /** Stored: SHA-256 of the secret, hex. */
  secretHash: string;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function mintKey(): MintedKey {
  const hex = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id: `k_${hex}`, token: `pk_${hex}_${secret}`, secretHash: hashSecret(secret) };
}

/** The key id and secret of a well-formed token, or null. */
export function parseToken(token: string): { id: string; secret: string } | null {
  const m = TOKEN.exec(token);
  return m ? { id: `k_${m[1]}`, secret: m[2] } : null;
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(secret: string, secretHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(secretHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
