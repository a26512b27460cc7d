/**
 * The pure half of the deployed console's sign-in: the Cognito hosted UI with the OAuth 2.0 authorization
 * code grant and PKCE (RFC 7636), no client secret. Everything here runs in Node too (WebCrypto, atob/btoa,
 * TextEncoder), so it is unit-tested there; session.ts does the browser side (storage, redirects, fetch).
 *
 * The ID token's payload is decoded, never verified: API Gateway's JWT authorizer verifies every token the
 * API receives, and the page uses the claims only to show who is signed in and which views to offer.
 */

/** config.json as console-hosting.ts deploys it next to index.html. */
export interface CognitoConfig {
  mode: 'cognito';
  apiUrl: string;
  region: string;
  userPoolId: string;
  clientId: string;
  authDomain: string;
}

export interface TokenSet {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds when the ID and access tokens stop being valid (the earlier of the two). */
  expiresAt: number;
}

export interface PendingSignIn {
  state: string;
  codeVerifier: string;
  /** The console hash to return to after signing in, e.g. `#/enquiry/abc`. */
  returnTo: string;
  createdAt: number;
}

export type Role = 'agent' | 'supervisor';

export const SCOPES = ['openid', 'email', 'profile'] as const;
export const CALLBACK_PATH = '/callback';
/** Refresh this long before the tokens expire (Cognito issues them for an hour). */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** A sign-in left half-way (hosted UI abandoned) is not resumed after this long. */
export const PENDING_MAX_AGE_MS = 15 * 60_000;

export class AuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

// ---------------------------------------------------------------------------------------------------
// Configuration

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
  };
}

/** `<origin>/callback`: the redirect URI registered on the user pool client. */
export function redirectUriFor(origin: string): string {
  return `${origin}${CALLBACK_PATH}`;
}

/** `<origin>/`: the sign-out URL registered on the user pool client. */
export function logoutUriFor(origin: string): string {
  return `${origin}/`;
}

/** True on the callback page, whichever way the host serves it (`/callback`, `/callback/`, `/callback/index.html`). */
export function isCallbackPath(pathname: string): boolean {
  return pathname === CALLBACK_PATH || pathname.startsWith(`${CALLBACK_PATH}/`);
}

// ---------------------------------------------------------------------------------------------------
// PKCE (RFC 7636) and state

export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64UrlDecode(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new AuthError('invalid_token', 'not base64url');
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(base64);
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

type RandomSource = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>;
const systemRandom: RandomSource = (bytes) => crypto.getRandomValues(bytes);

function randomToken(byteLength: number, random: RandomSource): string {
  return base64UrlEncode(random(new Uint8Array(byteLength)));
}

/**
 * A code verifier of `length` characters from the unreserved set (base64url of fresh random bytes):
 * 64 by default, i.e. 48 bytes (384 bits) from crypto.getRandomValues. RFC 7636 §4.1 allows 43 to 128.
 */
export function createCodeVerifier(length = 64, random: RandomSource = systemRandom): string {
  if (!Number.isInteger(length) || length < 43 || length > 128) throw new RangeError('a code verifier has 43 to 128 characters');
  return randomToken(Math.ceil((length * 3) / 4), random).slice(0, length);
}

export function isValidCodeVerifier(verifier: string): boolean {
  return /^[A-Za-z0-9\-._~]{43,128}$/.test(verifier);
}

/** code_challenge = BASE64URL(SHA-256(ASCII(code_verifier))), the S256 method. */
export async function codeChallengeS256(verifier: string): Promise<string> {
  if (!isValidCodeVerifier(verifier)) throw new AuthError('invalid_verifier', 'a code verifier has 43 to 128 unreserved characters');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64UrlEncode(new Uint8Array(digest));
}

/** An unguessable `state` (256 bits) binding the hosted UI's answer to this browser's request. */
export function createState(random: RandomSource = systemRandom): string {
  return randomToken(32, random);
}

/** Starts a sign-in: the values to keep in sessionStorage and the challenge to send. */
export async function createPendingSignIn(returnTo: string, now: number, random: RandomSource = systemRandom): Promise<{ pending: PendingSignIn; codeChallenge: string }> {
  const codeVerifier = createCodeVerifier(64, random);
  return { pending: { state: createState(random), codeVerifier, returnTo: safeReturnTo(returnTo), createdAt: now }, codeChallenge: await codeChallengeS256(codeVerifier) };
}

/** Only an in-app hash route may be returned to: never another page or origin. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^#\/[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/.test(value) ? value : '#/';
}

// ---------------------------------------------------------------------------------------------------
// Hosted UI endpoints

export function authorizeUrl(config: CognitoConfig, options: { redirectUri: string; codeChallenge: string; state: string }): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: options.redirectUri,
    scope: SCOPES.join(' '),
    code_challenge_method: 'S256',
    code_challenge: options.codeChallenge,
    state: options.state,
  });
  // URLSearchParams writes the spaces in scope as '+' (openid+email+profile).
  return `${config.authDomain}/oauth2/authorize?${query}`;
}

export function tokenUrl(config: CognitoConfig): string {
  return `${config.authDomain}/oauth2/token`;
}

/** Cognito's token revocation endpoint (RFC 7009): revoking the refresh token ends the session for good. */
export function revokeUrl(config: CognitoConfig): string {
  return `${config.authDomain}/oauth2/revoke`;
}

/** The form body that revokes a refresh token (a public client: client_id, no secret). */
export function revokeBody(config: CognitoConfig, refreshToken: string): URLSearchParams {
  return new URLSearchParams({ token: refreshToken, client_id: config.clientId });
}

export function logoutUrl(config: CognitoConfig, logoutUri: string): string {
  return `${config.authDomain}/logout?${new URLSearchParams({ client_id: config.clientId, logout_uri: logoutUri })}`;
}

/** The form body that trades the authorization code (and the verifier) for tokens. */
export function codeExchangeBody(config: CognitoConfig, options: { code: string; redirectUri: string; codeVerifier: string }): URLSearchParams {
  return new URLSearchParams({ grant_type: 'authorization_code', client_id: config.clientId, code: options.code, redirect_uri: options.redirectUri, code_verifier: options.codeVerifier });
}

export function refreshBody(config: CognitoConfig, refreshToken: string): URLSearchParams {
  return new URLSearchParams({ grant_type: 'refresh_token', client_id: config.clientId, refresh_token: refreshToken });
}

/**
 * Checks the hosted UI's redirect to /callback against the sign-in this tab started: the state must match
 * (CSRF, RFC 6749 §10.12), an error is reported as such, and a stale or missing sign-in is refused.
 */
export function verifyCallback(params: URLSearchParams, pending: PendingSignIn | undefined, now: number): { code: string } {
  if (!pending) throw new AuthError('no_pending_sign_in', 'no sign-in was started in this tab');
  const state = params.get('state');
  if (!state || !constantTimeEqual(state, pending.state)) throw new AuthError('state_mismatch', 'the sign-in answer does not match the sign-in this tab started');
  if (now - pending.createdAt > PENDING_MAX_AGE_MS || now < pending.createdAt) throw new AuthError('sign_in_expired', 'the sign-in took too long; start again');
  const error = params.get('error');
  if (error) throw new AuthError(error, params.get('error_description') ?? error);
  const code = params.get('code');
  if (!code) throw new AuthError('missing_code', 'the sign-in answer has no authorization code');
  return { code };
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

// ---------------------------------------------------------------------------------------------------
// Tokens

export type JwtClaims = Record<string, unknown>;

/** The payload of a compact JWS, decoded but NOT verified (see the file comment). */
export function decodeJwtPayload(token: string): JwtClaims {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) throw new AuthError('invalid_token', 'not a JWT');
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64UrlDecode(parts[1])));
  } catch {
    throw new AuthError('invalid_token', 'the JWT payload is not JSON');
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new AuthError('invalid_token', 'the JWT payload is not an object');
  return claims as JwtClaims;
}

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

/**
 * The tokens from a /oauth2/token answer. The expiry is the earliest of expires_in and the two tokens' own
 * exp claims; a refresh answer carries no refresh token, so the previous one is kept.
 */
export function tokenSetFrom(response: unknown, now: number, previous?: TokenSet): TokenSet {
  const body = (typeof response === 'object' && response !== null ? response : {}) as Record<string, unknown>;
  const idToken = body['id_token'];
  const accessToken = body['access_token'];
  if (typeof idToken !== 'string' || typeof accessToken !== 'string') throw new AuthError('invalid_token_response', 'the token endpoint returned no ID or access token');
  if (body['token_type'] !== undefined && String(body['token_type']).toLowerCase() !== 'bearer') throw new AuthError('invalid_token_response', 'unexpected token type');
  const expiries = [idToken, accessToken].map((token) => decodeJwtPayload(token)['exp']).filter((exp): exp is number => typeof exp === 'number').map((exp) => exp * 1000);
  const expiresIn = body['expires_in'];
  if (typeof expiresIn === 'number' && expiresIn > 0) expiries.push(now + expiresIn * 1000);
  if (expiries.length === 0) throw new AuthError('invalid_token_response', 'the tokens have no expiry');
  const refreshToken = typeof body['refresh_token'] === 'string' ? body['refresh_token'] : previous?.refreshToken;
  return { idToken, accessToken, ...(refreshToken ? { refreshToken } : {}), expiresAt: Math.min(...expiries) };
}

export function isExpired(tokens: TokenSet, now: number, leewayMs = 30_000): boolean {
  return now >= tokens.expiresAt - leewayMs;
}

/** Milliseconds until the tokens should be refreshed: REFRESH_MARGIN_MS before expiry (0 when already due). */
export function refreshDelay(tokens: TokenSet, now: number, marginMs = REFRESH_MARGIN_MS): number {
  return Math.max(0, tokens.expiresAt - marginMs - now);
}

export function shouldRefresh(tokens: TokenSet, now: number, marginMs = REFRESH_MARGIN_MS): boolean {
  return refreshDelay(tokens, now, marginMs) === 0;
}

/** Parses a stored token set; anything malformed is treated as signed out. */
export function parseTokenSet(text: string | null): TokenSet | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<TokenSet>;
    if (typeof value.idToken !== 'string' || typeof value.accessToken !== 'string' || typeof value.expiresAt !== 'number') return undefined;
    return { idToken: value.idToken, accessToken: value.accessToken, ...(typeof value.refreshToken === 'string' ? { refreshToken: value.refreshToken } : {}), expiresAt: value.expiresAt };
  } catch {
    return undefined;
  }
}

export function parsePendingSignIn(text: string | null): PendingSignIn | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<PendingSignIn>;
    if (typeof value.state !== 'string' || typeof value.codeVerifier !== 'string' || typeof value.createdAt !== 'number') return undefined;
    return { state: value.state, codeVerifier: value.codeVerifier, returnTo: safeReturnTo(value.returnTo), createdAt: value.createdAt };
  } catch {
    return undefined;
  }
}
