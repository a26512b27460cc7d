/**
 * The pure half of the deployed console's sign-in: what config.json says, and how the OpenID Connect client
 * (oidc-client-ts, in session.ts) is configured for the Cognito hosted UI. The protocol itself (PKCE S256,
 * state and nonce checks, the code exchange, refresh, revocation) is the library's; this file is settings.
 *
 * The ID token's signature is not verified in the page (the library does not, and the tokens come straight
 * from the token endpoint over TLS, OIDC Core 3.1.3.7); API Gateway's JWT authorizer verifies every token the
 * API receives against the pool's JWKS. The page uses the claims only to show who is signed in and which views
 * to offer.
 */
import type { UserManagerSettings } from 'oidc-client-ts';
import { CALLBACK_PATH, logoutUriFor, redirectUriFor } from '../shared/vocabulary/console-sign-in.ts';

export { CALLBACK_PATH, logoutUriFor, redirectUriFor };

/** config.json as console-hosting.ts deploys it next to index.html. */
export interface CognitoConfig {
  mode: 'cognito';
  apiUrl: string;
  region: string;
  userPoolId: string;
  clientId: string;
  /** The hosted UI's origin: /oauth2/authorize, /oauth2/token, /oauth2/revoke, /logout. */
  authDomain: string;
  /** The user pool's OpenID issuer (https://cognito-idp.<region>.amazonaws.com/<pool id>): discovery and `iss`. */
  issuer: string;
}

export type Role = 'agent' | 'supervisor';

export const SCOPES = ['openid', 'email', 'profile'] as const;
/** Refresh this long before the tokens expire (Cognito issues them for an hour). */
export const REFRESH_MARGIN_SECONDS = 5 * 60;
/** A sign-in left half-way (hosted UI abandoned) is not resumed after this long. */
export const PENDING_MAX_AGE_SECONDS = 15 * 60;

export class AuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

const isLoopback = (hostname: string) => hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';

/** An absolute https URL (http only on loopback, for tests) without query, fragment or trailing slash. */
function baseUrl(value: unknown, field: string): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new AuthError('invalid_config', `config.json: ${field} must be an absolute URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) throw new AuthError('invalid_config', `config.json: ${field} must use https`);
  if (url.username || url.password || url.search || url.hash) throw new AuthError('invalid_config', `config.json: ${field} must be a plain base URL`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * Reads config.json. Anything but `mode: 'cognito'` (or no file at all: undefined) means the local dev
 * console; a cognito config missing a field is an error, never a silent fall back to dev sign-in.
 */
export function parseConsoleConfig(value: unknown): CognitoConfig | undefined {
  if (typeof value !== 'object' || value === null || (value as { mode?: unknown }).mode !== 'cognito') return undefined;
  const raw = value as Record<string, unknown>;
  for (const field of ['region', 'userPoolId', 'clientId'] as const) {
    if (typeof raw[field] !== 'string' || !raw[field]) throw new AuthError('invalid_config', `config.json: ${field} is missing`);
  }
  return {
    mode: 'cognito',
    apiUrl: baseUrl(raw['apiUrl'], 'apiUrl'),
    region: raw['region'] as string,
    userPoolId: raw['userPoolId'] as string,
    clientId: raw['clientId'] as string,
    authDomain: baseUrl(raw['authDomain'], 'authDomain'),
    issuer: baseUrl(raw['issuer'], 'issuer'),
  };
}

/** True on the callback page, whichever way the host serves it (`/callback`, `/callback/`, `/callback/index.html`). */
export function isCallbackPath(pathname: string): boolean {
  return pathname === CALLBACK_PATH || pathname.startsWith(`${CALLBACK_PATH}/`);
}

/** Only an in-app hash route may be returned to: never another page or origin. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^#\/[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/.test(value) ? value : '#/';
}

/**
 * Cognito's hosted UI logout: it ends the hosted UI's own session cookie (else the next "Sign in" would
 * come straight back signed in) and returns to `logout_uri`, which must be registered on the client.
 * Cognito wants `client_id` + `logout_uri` here, not the RP-initiated logout parameters.
 */
export function logoutUrl(config: CognitoConfig, logoutUri: string): string {
  return `${config.authDomain}/logout?${new URLSearchParams({ client_id: config.clientId, logout_uri: logoutUri })}`;
}

/**
 * oidc-client-ts settings for the hosted UI: authorization code + PKCE S256 (the library's only code flow),
 * metadata from the pool's discovery document, tokens and the pending sign-in in sessionStorage (this tab
 * only, never localStorage), refresh with the refresh token REFRESH_MARGIN_SECONDS before expiry, the refresh
 * token revoked on sign-out. `stores` is the Storage both live in (sessionStorage in the page).
 */
export function oidcSettings(config: CognitoConfig, origin: string, stores: { userStore: UserManagerSettings['userStore']; stateStore: UserManagerSettings['stateStore'] }): UserManagerSettings {
  return {
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: redirectUriFor(origin),
    post_logout_redirect_uri: logoutUriFor(origin),
    response_type: 'code',
    scope: SCOPES.join(' '),
    ...stores,
    automaticSilentRenew: true,
    accessTokenExpiringNotificationTimeInSeconds: REFRESH_MARGIN_SECONDS,
    staleStateAgeInSeconds: PENDING_MAX_AGE_SECONDS,
    revokeTokenTypes: ['refresh_token'],
    // No iframes: the CSP forbids framing, and refresh tokens make them unnecessary.
    monitorSession: false,
    loadUserInfo: false,
    fetchRequestCredentials: 'omit',
  };
}

/**
 * OIDC Core 3.1.3.7: the ID token names this pool as issuer and this client as audience. oidc-client-ts checks
 * state, nonce and (on refresh) that the subject did not change, but not these two.
 */
export function checkIdTokenClaims(claims: JwtClaims, config: CognitoConfig): void {
  if (claims['iss'] !== config.issuer) throw new AuthError('invalid_token', 'the ID token was issued by another issuer');
  const audience = claims['aud'];
  if (!(audience === config.clientId || (Array.isArray(audience) && audience.includes(config.clientId)))) throw new AuthError('invalid_token', 'the ID token is for another client');
}

export type JwtClaims = Record<string, unknown>;

/** `cognito:groups` as a list (Cognito sends an array; tolerate the "[a b]" string form too). */
export function groupsOf(claims: JwtClaims): string[] {
  const raw = claims['cognito:groups'];
  if (Array.isArray(raw)) return raw.filter((group): group is string => typeof group === 'string');
  if (typeof raw === 'string') return raw.replace(/^\[|\]$/g, '').split(/[,\s]+/).filter(Boolean);
  return [];
}

/** The console role: supervisor when in that group, else agent when in that one; no group, no role. */
export function roleOf(claims: JwtClaims): Role | undefined {
  const groups = groupsOf(claims);
  if (groups.includes('supervisor')) return 'supervisor';
  if (groups.includes('agent')) return 'agent';
  return undefined;
}

export function displayNameOf(claims: JwtClaims): string {
  for (const claim of ['name', 'email', 'cognito:username', 'sub']) {
    const value = claims[claim];
    if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 80);
  }
  return 'Staff';
}
