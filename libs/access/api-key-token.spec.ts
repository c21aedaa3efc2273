import { hashSecret, mintKey, parseToken, secretMatches } from './api-key-token';

describe('API key tokens', () => {
  it('mints a token whose id and secret parse back, and whose secret matches only its own hash', () => {
    const key = mintKey();
    expect(key.token).toMatch(/^pk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const parsed = parseToken(key.token)!;
    expect(parsed.id).toBe(key.id);
    expect(secretMatches(parsed.secret, key.secretHash)).toBe(true);
    expect(secretMatches(parsed.secret, mintKey().secretHash)).toBe(false);
    expect(key.secretHash).toBe(hashSecret(parsed.secret));
    expect(key.token).not.toContain(key.secretHash);
  });

  it('never mints the same key twice', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => mintKey().id));
    expect(ids.size).toBe(1000);
  });

  it('refuses anything that is not exactly a token', () => {
    const { token } = mintKey();
    for (const bad of ['', 'pk_', token.slice(0, -1), `${token}x`, token.replace('pk_', 'pK_'), `Bearer ${token}`, 'pk_0123456789abcdef_' + '!'.repeat(43)]) {
      expect(parseToken(bad)).toBeNull();
    }
  });

  it('compares against a malformed stored hash without throwing', () => {
    expect(secretMatches('x', 'not-hex')).toBe(false);
  });
});
