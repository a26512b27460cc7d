import { describe, expect, it } from 'vitest';
import {
  AuthError,
  authorizeUrl,
  base64UrlDecode,
  base64UrlEncode,
  codeChallengeS256,
  codeExchangeBody,
  createCodeVerifier,
  createPendingSignIn,
  createState,
  decodeJwtPayload,
  displayNameOf,
  groupsOf,
  isCallbackPath,
  isExpired,
  isValidCodeVerifier,
  logoutUrl,
  revokeBody,
  revokeUrl,
  parseConsoleConfig,
  parsePendingSignIn,
  parseTokenSet,
  redirectUriFor,
  refreshBody,
  refreshDelay,
  REFRESH_MARGIN_MS,
  roleOf,
  safeReturnTo,
  shouldRefresh,
  tokenSetFrom,
  verifyCallback,
  type CognitoConfig,
  type PendingSignIn,
} from '../../local/console/auth.ts';

const config: CognitoConfig = {
  mode: 'cognito',
  apiUrl: 'https://abc123.execute-api.ap-east-1.amazonaws.com',
  region: 'ap-east-1',
  userPoolId: 'ap-east-1_Example',
  clientId: '4example0client0id',
  authDomain: 'https://assist-staff.auth.ap-east-1.amazoncognito.com',
};
const origin = 'https://d111111abcdef8.cloudfront.net';

/** An unsigned JWT with the given payload: the console only decodes, API Gateway verifies. */
function jwt(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'test' })}.${part(payload)}.${Buffer.from('signature').toString('base64url')}`;
}

describe('PKCE (RFC 7636)', () => {
  it('derives the S256 challenge of the Appendix B test vector', async () => {
    expect(await codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('encodes the Appendix B verifier octets as the Appendix B verifier', () => {
    const octets = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];
    expect(base64UrlEncode(Uint8Array.from(octets))).toBe('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    expect([...base64UrlDecode('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')]).toEqual(octets);
  });

  it('makes fresh verifiers of 43 to 128 unreserved characters from crypto.getRandomValues', async () => {
    const verifiers = Array.from({ length: 50 }, () => createCodeVerifier());
    for (const verifier of verifiers) {
      expect(verifier).toHaveLength(64);
      expect(isValidCodeVerifier(verifier)).toBe(true);
      expect(await codeChallengeS256(verifier)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    expect(new Set(verifiers).size).toBe(verifiers.length);
    expect(createCodeVerifier(43)).toHaveLength(43);
    expect(createCodeVerifier(128)).toHaveLength(128);
    expect(() => createCodeVerifier(42)).toThrow(RangeError);
    expect(() => createCodeVerifier(129)).toThrow(RangeError);
    await expect(codeChallengeS256('too-short')).rejects.toThrow(AuthError);
  });

  it('uses the random source it is given, so the verifier is all entropy', () => {
    const zeros = createCodeVerifier(43, (bytes) => bytes.fill(0));
    expect(zeros).toBe('A'.repeat(43));
    expect(createState((bytes) => bytes.fill(255))).toBe(`${'_'.repeat(42)}8`);
    expect(createState()).not.toBe(createState());
  });
});

describe('hosted UI URLs', () => {
  it('builds the authorize URL with every parameter the authorization code + PKCE flow needs', async () => {
    const { pending, codeChallenge } = await createPendingSignIn('#/enquiry/e-1', 1_000);
    const url = new URL(authorizeUrl(config, { redirectUri: redirectUriFor(origin), codeChallenge, state: pending.state }));
    expect(`${url.origin}${url.pathname}`).toBe('https://assist-staff.auth.ap-east-1.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: config.clientId,
      redirect_uri: `${origin}/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
      code_challenge: codeChallenge,
      state: pending.state,
    });
    expect(url.search).toContain('scope=openid+email+profile');
    expect(codeChallenge).toBe(await codeChallengeS256(pending.codeVerifier));
    // The verifier itself never leaves the browser on the way out.
    expect(url.href).not.toContain(pending.codeVerifier);
    expect(pending.returnTo).toBe('#/enquiry/e-1');
  });

  it('builds the token and logout requests', () => {
    expect(Object.fromEntries(codeExchangeBody(config, { code: 'c0de', redirectUri: `${origin}/callback`, codeVerifier: 'v'.repeat(43) }))).toEqual({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code: 'c0de',
      redirect_uri: `${origin}/callback`,
      code_verifier: 'v'.repeat(43),
    });
    expect(Object.fromEntries(refreshBody(config, 'r3fresh'))).toEqual({ grant_type: 'refresh_token', client_id: config.clientId, refresh_token: 'r3fresh' });
    const logout = new URL(logoutUrl(config, `${origin}/`));
    expect(`${logout.origin}${logout.pathname}`).toBe(`${config.authDomain}/logout`);
    expect(Object.fromEntries(logout.searchParams)).toEqual({ client_id: config.clientId, logout_uri: `${origin}/` });
    expect(revokeUrl(config)).toBe(`${config.authDomain}/oauth2/revoke`);
    expect(Object.fromEntries(revokeBody(config, 'r3fresh'))).toEqual({ token: 'r3fresh', client_id: config.clientId });
  });

  it('recognises the callback page however the host serves it', () => {
    expect(['/callback', '/callback/', '/callback/index.html'].every(isCallbackPath)).toBe(true);
    expect(['/', '/index.html', '/callbacks', '/x/callback'].some(isCallbackPath)).toBe(false);
  });

  it('returns only to in-app hash routes', () => {
    expect(safeReturnTo('#/dashboard?from=2026-11-18&to=2026-11-25')).toBe('#/dashboard?from=2026-11-18&to=2026-11-25');
    for (const bad of ['https://evil.example/', '//evil.example', '/#/queue', 'javascript:alert(1)', '#/<script>', undefined, 42]) expect(safeReturnTo(bad)).toBe('#/');
  });
});

describe('config.json', () => {
  it('keeps the local dev console without a cognito config', () => {
    expect(parseConsoleConfig(undefined)).toBeUndefined();
    expect(parseConsoleConfig(null)).toBeUndefined();
    expect(parseConsoleConfig({ mode: 'local' })).toBeUndefined();
  });

  it('reads the deployed config and refuses an incomplete or insecure one', () => {
    expect(parseConsoleConfig({ ...config, apiUrl: `${config.apiUrl}/`, extra: true })).toEqual(config);
    expect(() => parseConsoleConfig({ ...config, clientId: '' })).toThrow(/clientId/);
    expect(() => parseConsoleConfig({ ...config, authDomain: 'http://assist-staff.auth.ap-east-1.amazoncognito.com' })).toThrow(/https/);
    expect(() => parseConsoleConfig({ ...config, apiUrl: 'not a url' })).toThrow(/apiUrl/);
    expect(() => parseConsoleConfig({ ...config, apiUrl: 'https://user:pw@example.com' })).toThrow(/apiUrl/);
    // Plain http only on loopback (the browser tests).
    expect(parseConsoleConfig({ ...config, authDomain: 'http://127.0.0.1:4000' })?.authDomain).toBe('http://127.0.0.1:4000');
  });
});

describe('callback state (CSRF)', () => {
  const pending: PendingSignIn = { state: 'expected-state-value', codeVerifier: 'v'.repeat(43), returnTo: '#/', createdAt: 10_000 };

  it('accepts the code when the state is the one this tab sent', () => {
    expect(verifyCallback(new URLSearchParams({ code: 'abc', state: pending.state }), pending, 20_000)).toEqual({ code: 'abc' });
  });

  it('rejects a state mismatch, a missing state, and a callback nobody started', () => {
    const mismatch = () => verifyCallback(new URLSearchParams({ code: 'abc', state: 'attacker-state-value' }), pending, 20_000);
    expect(mismatch).toThrow(AuthError);
    expect(mismatch).toThrow(/does not match/);
    expect(() => verifyCallback(new URLSearchParams({ code: 'abc' }), pending, 20_000)).toThrow(/does not match/);
    expect(() => verifyCallback(new URLSearchParams({ code: 'abc', state: pending.state }), undefined, 20_000)).toThrow(/no sign-in was started/);
  });

  it('checks the state before reporting an error or using the code, and refuses stale sign-ins', () => {
    try {
      verifyCallback(new URLSearchParams({ error: 'access_denied', state: 'forged' }), pending, 20_000);
      expect.unreachable();
    } catch (error) {
      expect((error as AuthError).code).toBe('state_mismatch');
    }
    expect(() => verifyCallback(new URLSearchParams({ error: 'access_denied', error_description: 'User cancelled', state: pending.state }), pending, 20_000)).toThrow('User cancelled');
    expect(() => verifyCallback(new URLSearchParams({ state: pending.state }), pending, 20_000)).toThrow(/no authorization code/);
    expect(() => verifyCallback(new URLSearchParams({ code: 'abc', state: pending.state }), pending, 10_000 + 16 * 60_000)).toThrow(/too long/);
  });

  it('parses stored pending sign-ins defensively', () => {
    expect(parsePendingSignIn(JSON.stringify(pending))).toEqual(pending);
    expect(parsePendingSignIn(JSON.stringify({ ...pending, returnTo: 'https://evil.example' }))?.returnTo).toBe('#/');
    expect(parsePendingSignIn('{')).toBeUndefined();
    expect(parsePendingSignIn(null)).toBeUndefined();
  });
});

describe('JWT payload', () => {
  it('decodes cognito:groups and the display name from the ID token', () => {
    const claims = decodeJwtPayload(jwt({ sub: 'u-1', 'cognito:groups': ['agent'], email: 'chan.tai.man@1823.example', name: '陳大文' }));
    expect(groupsOf(claims)).toEqual(['agent']);
    expect(roleOf(claims)).toBe('agent');
    expect(displayNameOf(claims)).toBe('陳大文');
    expect(displayNameOf({ email: 'a@b.example' })).toBe('a@b.example');
  });

  it('maps groups to the console role', () => {
    expect(roleOf({ 'cognito:groups': ['agent', 'supervisor'] })).toBe('supervisor');
    expect(roleOf({ 'cognito:groups': '[agent]' })).toBe('agent');
    expect(roleOf({ 'cognito:groups': ['admins'] })).toBeUndefined();
    expect(roleOf({})).toBeUndefined();
  });

  it('refuses what is not a JWT with a JSON object payload', () => {
    for (const bad of ['', 'a.b', 'a.b.c.d', `x.${Buffer.from('[1]').toString('base64url')}.y`, 'x.!!!.y', `x.${Buffer.from('not json').toString('base64url')}.y`]) {
      expect(() => decodeJwtPayload(bad)).toThrow(AuthError);
    }
  });
});

describe('token expiry and refresh timing', () => {
  const now = Date.UTC(2026, 10, 25, 6, 0, 0);
  const exp = Math.floor(now / 1000) + 3600;

  it('takes the expiry from expires_in and the tokens, whichever is first', () => {
    const tokens = tokenSetFrom({ id_token: jwt({ exp }), access_token: jwt({ exp }), refresh_token: 'r', expires_in: 3600, token_type: 'Bearer' }, now);
    expect(tokens).toMatchObject({ refreshToken: 'r', expiresAt: exp * 1000 });
    const shorter = tokenSetFrom({ id_token: jwt({ exp }), access_token: jwt({ exp: exp - 600 }), expires_in: 3600 }, now);
    expect(shorter.expiresAt).toBe((exp - 600) * 1000);
  });

  it('keeps the refresh token across a refresh answer that has none', () => {
    const first = tokenSetFrom({ id_token: jwt({ exp }), access_token: jwt({ exp }), refresh_token: 'r1', expires_in: 3600 }, now);
    const refreshed = tokenSetFrom({ id_token: jwt({ exp: exp + 3600 }), access_token: jwt({ exp: exp + 3600 }), expires_in: 3600 }, now + 3_600_000, first);
    expect(refreshed.refreshToken).toBe('r1');
    expect(refreshed.expiresAt).toBe((exp + 3600) * 1000);
  });

  it('refuses token answers without tokens or of the wrong type', () => {
    expect(() => tokenSetFrom({ access_token: jwt({ exp }) }, now)).toThrow(AuthError);
    expect(() => tokenSetFrom({ id_token: jwt({ exp }), access_token: jwt({ exp }), token_type: 'mac' }, now)).toThrow(/token type/);
    expect(() => tokenSetFrom({ id_token: jwt({}), access_token: jwt({}) }, now)).toThrow(/expiry/);
  });

  it('schedules the refresh five minutes before expiry and says when it is due', () => {
    const tokens = { idToken: 'i', accessToken: 'a', refreshToken: 'r', expiresAt: now + 3_600_000 };
    expect(REFRESH_MARGIN_MS).toBe(300_000);
    expect(refreshDelay(tokens, now)).toBe(3_300_000);
    expect(shouldRefresh(tokens, now)).toBe(false);
    expect(shouldRefresh(tokens, now + 3_299_999)).toBe(false);
    expect(shouldRefresh(tokens, now + 3_300_000)).toBe(true);
    expect(refreshDelay(tokens, now + 3_500_000)).toBe(0);
    expect(isExpired(tokens, now + 3_500_000)).toBe(false);
    expect(isExpired(tokens, now + 3_570_000)).toBe(true);
    expect(isExpired(tokens, now + 3_600_000)).toBe(true);
  });

  it('reads stored tokens defensively', () => {
    const tokens = { idToken: 'i', accessToken: 'a', expiresAt: now };
    expect(parseTokenSet(JSON.stringify(tokens))).toEqual(tokens);
    expect(parseTokenSet(JSON.stringify({ idToken: 'i' }))).toBeUndefined();
    expect(parseTokenSet('not json')).toBeUndefined();
    expect(parseTokenSet(null)).toBeUndefined();
  });
});
