import { describe, expect, it } from 'vitest';
import { InMemoryWebStorage, WebStorageStateStore } from 'oidc-client-ts';
import {
  AuthError,
  checkIdTokenClaims,
  displayNameOf,
  groupsOf,
  isCallbackPath,
  logoutUrl,
  oidcSettings,
  parseConsoleConfig,
  redirectUriFor,
  logoutUriFor,
  roleOf,
  safeReturnTo,
  type CognitoConfig,
} from '../../console/auth.ts';

const config: CognitoConfig = {
  mode: 'cognito',
  apiUrl: 'https://abc123.execute-api.ap-east-1.amazonaws.com',
  region: 'ap-east-1',
  userPoolId: 'ap-east-1_Example',
  clientId: '4example0client0id',
  authDomain: 'https://assist-staff.auth.ap-east-1.amazoncognito.com',
  issuer: 'https://cognito-idp.ap-east-1.amazonaws.com/ap-east-1_Example',
};
const origin = 'https://d111111abcdef8.cloudfront.net';

describe('OpenID Connect client settings for the Cognito hosted UI', () => {
  it('uses the pool as authority, the code flow, the registered URIs, refresh 5 minutes ahead and revocation of the refresh token', () => {
    const store = new WebStorageStateStore({ store: new InMemoryWebStorage() });
    const settings = oidcSettings(config, origin, { userStore: store, stateStore: store });
    expect(settings).toMatchObject({
      authority: config.issuer,
      client_id: config.clientId,
      redirect_uri: `${origin}/callback`,
      post_logout_redirect_uri: `${origin}/`,
      response_type: 'code',
      scope: 'openid email profile',
      automaticSilentRenew: true,
      accessTokenExpiringNotificationTimeInSeconds: 300,
      staleStateAgeInSeconds: 900,
      revokeTokenTypes: ['refresh_token'],
      monitorSession: false,
    });
    // Both stores are the one given (sessionStorage in the page), never the library's localStorage default.
    expect(settings.stateStore).toBe(store);
    expect(settings.userStore).toBe(store);
  });

  it("builds Cognito's logout URL with client_id and the registered logout_uri", () => {
    const logout = new URL(logoutUrl(config, logoutUriFor(origin)));
    expect(`${logout.origin}${logout.pathname}`).toBe(`${config.authDomain}/logout`);
    expect(Object.fromEntries(logout.searchParams)).toEqual({ client_id: config.clientId, logout_uri: `${origin}/` });
    expect(redirectUriFor(origin)).toBe(`${origin}/callback`);
  });

  it('recognises the callback page however the host serves it', () => {
    expect(['/callback', '/callback/', '/callback/index.html'].every(isCallbackPath)).toBe(true);
    expect(['/', '/index.html', '/callbacks', '/x/callback'].some(isCallbackPath)).toBe(false);
  });

  it('returns only to in-app hash routes', () => {
    expect(safeReturnTo('#/dashboard?from=2026-11-18&to=2026-11-25')).toBe('#/dashboard?from=2026-11-18&to=2026-11-25');
    for (const bad of ['https://evil.example/', '//evil.example', '/#/queue', 'javascript:alert(1)', '#/<script>', undefined, 42]) expect(safeReturnTo(bad)).toBe('#/');
  });

  it('accepts an ID token only from this pool for this client (OIDC Core 3.1.3.7)', () => {
    expect(() => checkIdTokenClaims({ iss: config.issuer, aud: config.clientId }, config)).not.toThrow();
    expect(() => checkIdTokenClaims({ iss: config.issuer, aud: ['other', config.clientId] }, config)).not.toThrow();
    expect(() => checkIdTokenClaims({ iss: 'https://cognito-idp.ap-east-1.amazonaws.com/ap-east-1_Other', aud: config.clientId }, config)).toThrow(AuthError);
    expect(() => checkIdTokenClaims({ iss: config.issuer, aud: 'another-client' }, config)).toThrow(/another client/);
    expect(() => checkIdTokenClaims({ iss: config.issuer }, config)).toThrow(AuthError);
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
    expect(() => parseConsoleConfig({ ...config, issuer: undefined })).toThrow(/issuer/);
    expect(() => parseConsoleConfig({ ...config, apiUrl: 'not a url' })).toThrow(/apiUrl/);
    expect(() => parseConsoleConfig({ ...config, apiUrl: 'https://user:pw@example.com' })).toThrow(/apiUrl/);
    // Plain http only on loopback (the browser tests).
    expect(parseConsoleConfig({ ...config, authDomain: 'http://127.0.0.1:4000' })?.authDomain).toBe('http://127.0.0.1:4000');
  });
});

describe('ID token claims', () => {
  it('takes cognito:groups and the display name from the claims', () => {
    const claims = { sub: 'u-1', 'cognito:groups': ['agent'], email: 'chan.tai.man@1823.example', name: '陳大文' };
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
});
