/**
 * The deployed console's sign-in, end to end in headless Chromium: the built dist served as CloudFront
 * would (index.html, callback/index.html, config.json in cognito mode, the distribution's CSP), a loopback
 * stand-in for the Cognito user pool and hosted UI that implements OpenID Connect for real (discovery
 * document, JWKS, the authorization code grant with PKCE (RFC 7636), RS256-signed ID tokens carrying the
 * request's nonce, refresh, revocation (RFC 7009), logout), and a loopback stand-in for the HTTP API that,
 * like its JWT authorizer, verifies the Bearer token against the pool's JWKS.
 * The stand-ins are test infrastructure, not product code: they check what Cognito and API Gateway check.
 */
import { createHash, createPublicKey, createSign, createVerify, generateKeyPairSync, randomBytes, type JsonWebKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONSOLE_DIST_DIR, ensureConsoleBuilt } from '../../console/build.ts';
import { launchChromium, screenshot, watchPageErrors } from './console-harness.ts';

const CLIENT_ID = 'console-test-client';
const USER_POOL_ID = 'ap-east-1_Loopback';
const KEY_ID = 'loopback-1';
/** Where oidc-client-ts keeps the user (tokens) in sessionStorage; a pending sign-in is `oidc.<state id>`. */
const userKey = () => `oidc.user:${cognito.issuer}:${CLIENT_ID}`;

interface Loopback {
  url: string;
  close(): Promise<void>;
}

async function listen(handler: RequestListener): Promise<Loopback> {
  const server = createServer((request, response) => {
    Promise.resolve(handler(request, response)).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

// ---------------------------------------------------------------------------------------------------
// Cognito hosted UI stand-in: /oauth2/authorize, /oauth2/token, /logout

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The pool's signing key as its JWKS publishes it (RFC 7517). */
const JWKS = { keys: [{ ...(publicKey.export({ format: 'jwk' }) as JsonWebKey), kid: KEY_ID, alg: 'RS256', use: 'sig' }] };

function signJwt(claims: Record<string, unknown>): string {
  const input = `${b64url({ alg: 'RS256', kid: KEY_ID, typ: 'JWT' })}.${b64url(claims)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
}

/**
 * What API Gateway's JWT authorizer does: the key named by `kid` from the issuer's JWKS (fetched over HTTP
 * like the authorizer does), an RS256 signature, the issuer, and an unexpired token.
 */
async function verifyJwt(token: string, issuer: string): Promise<Record<string, unknown> | undefined> {
  const [header, payload, signature, extra] = token.split('.');
  if (!header || !payload || !signature || extra !== undefined) return undefined;
  const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid?: string; alg?: string };
  const { jwks_uri: jwksUri } = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
  const jwk = ((await (await fetch(jwksUri)).json()) as typeof JWKS).keys.find((key) => key.kid === kid);
  if (!jwk || alg !== 'RS256') return undefined;
  if (!createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(signature, 'base64url'))) return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return claims['iss'] === issuer && typeof claims['exp'] === 'number' && claims['exp'] * 1000 > Date.now() ? claims : undefined;
}

interface TokenCall {
  grantType: string | null;
  codeVerifier: string | null;
  status: number;
  error?: string;
}

interface FakeCognito extends Loopback {
  /** The pool's issuer, `<url>/<pool id>` as Cognito's is `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  issuer: string;
  /** ID tokens issued, decoded (to check the nonce). */
  idTokenClaims: Record<string, unknown>[];
  /** Revokes a refresh token server-side (an administrator's global sign-out). */
  revokeServerSide(token: string): void;
  authorizeCalls: URLSearchParams[];
  tokenCalls: TokenCall[];
  accessTokens: string[];
  logoutCalls: URLSearchParams[];
  /** Refresh tokens revoked at /oauth2/revoke (RFC 7009), in order. */
  revoked: string[];
  /** Whether a refresh token still works at /oauth2/token. */
  refreshTokenWorks(token: string): boolean;
  /** Lifetime of the tokens it issues (Cognito: 3600 s). */
  lifetimeSeconds: number;
  /** How many coming refresh requests get a 503 with no OAuth error body (the service briefly down). */
  refreshOutages: number;
}

async function startFakeCognito(consoleOrigin: () => string): Promise<FakeCognito> {
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string; nonce: string | null; used: boolean }>();
  /** Each live refresh token with the sign-in it belongs to: a refreshed ID token keeps auth_time, as Cognito's does. */
  const refreshTokens = new Map<string, { authTime: number }>();
  let origin = '';
  let issuer = '';
  const fake = {
    get issuer() {
      return issuer;
    },
    idTokenClaims: [] as Record<string, unknown>[],
    revokeServerSide: (token: string) => void refreshTokens.delete(token),
    authorizeCalls: [] as URLSearchParams[],
    tokenCalls: [] as TokenCall[],
    accessTokens: [] as string[],
    logoutCalls: [] as URLSearchParams[],
    revoked: [] as string[],
    refreshTokenWorks: (token: string) => refreshTokens.has(token),
    lifetimeSeconds: 3600,
    refreshOutages: 0,
  };
  const issue = (session: { authTime: number; nonce?: string | null }, refreshToken?: string) => {
    const now = Math.floor(Date.now() / 1000);
    const common = { sub: 'b1e2c3d4-agent', iss: issuer, 'cognito:groups': ['agent'], iat: now, auth_time: session.authTime, exp: now + fake.lifetimeSeconds };
    const accessToken = signJwt({ ...common, token_use: 'access', client_id: CLIENT_ID, scope: 'openid email profile', jti: randomBytes(8).toString('hex') });
    fake.accessTokens.push(accessToken);
    // OIDC Core 3.1.3.6: the nonce of the authorization request goes into the ID token (not on refresh).
    const idClaims = { ...common, token_use: 'id', aud: CLIENT_ID, ...(session.nonce ? { nonce: session.nonce } : {}), email: 'chan.tai.man@1823.example', name: 'Chan Tai Man' };
    fake.idTokenClaims.push(idClaims);
    return {
      id_token: signJwt(idClaims),
      access_token: accessToken,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      expires_in: fake.lifetimeSeconds,
      token_type: 'Bearer',
    };
  };
  const cors = () => ({ 'access-control-allow-origin': consoleOrigin(), vary: 'Origin' });

  const server = await listen(async (request, response) => {
    const url = new URL(request.url ?? '/', origin || 'http://127.0.0.1');
    if (url.pathname === `/${USER_POOL_ID}/.well-known/openid-configuration`) {
      // As Cognito publishes it at https://cognito-idp.<region>.amazonaws.com/<pool id>/.well-known/openid-configuration.
      return json(response, 200, {
        issuer,
        authorization_endpoint: `${origin}/oauth2/authorize`,
        token_endpoint: `${origin}/oauth2/token`,
        revocation_endpoint: `${origin}/oauth2/revoke`,
        userinfo_endpoint: `${origin}/oauth2/userInfo`,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        response_types_supported: ['code', 'token'],
        scopes_supported: ['openid', 'email', 'phone', 'profile'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      }, { 'access-control-allow-origin': '*' });
    }
    if (url.pathname === `/${USER_POOL_ID}/.well-known/jwks.json`) return json(response, 200, JWKS, { 'access-control-allow-origin': '*' });
    if (url.pathname === '/oauth2/authorize' && request.method === 'GET') {
      const query = url.searchParams;
      fake.authorizeCalls.push(query);
      const problems = [
        query.get('response_type') === 'code' ? '' : 'response_type',
        query.get('client_id') === CLIENT_ID ? '' : 'client_id',
        query.get('redirect_uri') === `${consoleOrigin()}/callback` ? '' : 'redirect_uri',
        (query.get('scope') ?? '').split(' ').includes('openid') ? '' : 'scope',
        query.get('code_challenge_method') === 'S256' ? '' : 'code_challenge_method',
        /^[A-Za-z0-9_-]{43}$/.test(query.get('code_challenge') ?? '') ? '' : 'code_challenge',
        query.get('state') ? '' : 'state',
      ].filter(Boolean);
      if (problems.length > 0) {
        response.writeHead(400, { 'content-type': 'text/plain' });
        response.end(`invalid_request: ${problems.join(', ')}`);
        return;
      }
      // The user signs in (password, MFA) here; the stand-in skips straight to the answer.
      const code = randomBytes(16).toString('hex');
      codes.set(code, { clientId: CLIENT_ID, redirectUri: query.get('redirect_uri')!, challenge: query.get('code_challenge')!, nonce: query.get('nonce'), used: false });
      response.writeHead(302, { location: `${query.get('redirect_uri')}?${new URLSearchParams({ code, state: query.get('state')! })}` });
      response.end();
      return;
    }
    if (url.pathname === '/oauth2/token') {
      if (request.method === 'OPTIONS') {
        response.writeHead(204, { ...cors(), 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type' });
        response.end();
        return;
      }
      const form = new URLSearchParams(await readBody(request));
      const call: TokenCall = { grantType: form.get('grant_type'), codeVerifier: form.get('code_verifier'), status: 200 };
      fake.tokenCalls.push(call);
      const refuse = (error: string) => {
        call.status = 400;
        call.error = error;
        json(response, 400, { error }, cors());
      };
      if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return refuse('invalid_request');
      if (form.get('client_id') !== CLIENT_ID) return refuse('invalid_client');
      if (form.get('grant_type') === 'authorization_code') {
        const grant = codes.get(form.get('code') ?? '');
        if (!grant || grant.used) return refuse('invalid_grant');
        grant.used = true; // one use, whether or not the verifier is right
        if (form.get('redirect_uri') !== grant.redirectUri) return refuse('invalid_grant');
        // RFC 7636 §4.6: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) == code_challenge.
        const verifier = form.get('code_verifier') ?? '';
        if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || createHash('sha256').update(verifier, 'ascii').digest('base64url') !== grant.challenge) return refuse('invalid_grant');
        const refreshToken = randomBytes(24).toString('base64url');
        const session = { authTime: Math.floor(Date.now() / 1000) };
        refreshTokens.set(refreshToken, session);
        return json(response, 200, issue({ ...session, nonce: grant.nonce }, refreshToken), cors());
      }
      if (form.get('grant_type') === 'refresh_token') {
        if (fake.refreshOutages > 0) {
          fake.refreshOutages--;
          call.status = 503;
          response.writeHead(503, { ...cors(), 'content-type': 'text/plain' });
          response.end('Service Unavailable');
          return;
        }
        const session = refreshTokens.get(form.get('refresh_token') ?? '');
        if (!session) return refuse('invalid_grant');
        // Cognito does not rotate refresh tokens: the answer has none.
        return json(response, 200, issue(session), cors());
      }
      return refuse('unsupported_grant_type');
    }
    if (url.pathname === '/oauth2/revoke') {
      if (request.method === 'OPTIONS') {
        response.writeHead(204, { ...cors(), 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type' });
        response.end();
        return;
      }
      const form = new URLSearchParams(await readBody(request));
      if (form.get('client_id') !== CLIENT_ID) return json(response, 400, { error: 'invalid_client' }, cors());
      const token = form.get('token') ?? '';
      fake.revoked.push(token);
      refreshTokens.delete(token);
      response.writeHead(200, cors());
      response.end();
      return;
    }
    if (url.pathname === '/logout' && request.method === 'GET') {
      fake.logoutCalls.push(url.searchParams);
      const logoutUri = url.searchParams.get('logout_uri');
      if (url.searchParams.get('client_id') !== CLIENT_ID || logoutUri !== `${consoleOrigin()}/`) {
        response.writeHead(400, { 'content-type': 'text/plain' });
        response.end('invalid logout_uri');
        return;
      }
      response.writeHead(302, { location: logoutUri });
      response.end();
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  });
  origin = server.url;
  issuer = `${server.url}/${USER_POOL_ID}`;
  return Object.assign(fake, server);
}

// ---------------------------------------------------------------------------------------------------
// HTTP API stand-in: CORS as configured in review-api.ts, and the JWT authorizer's checks

interface ApiCall {
  method: string;
  path: string;
  authorization: string | undefined;
  status: number;
}

const ENQUIRY = {
  enquiryId: 'enq-20261124-cognito-0001',
  status: 'awaiting_review',
  channel: 'webform',
  language: 'en-US',
  topic: 'noise_nuisance',
  department: 'epd',
  urgency: 'normal',
  confidence: 0.91,
  degraded: false,
  receivedAt: '2026-11-24T09:00:00+08:00',
  ageMinutes: 42,
  manualReason: null,
};

async function startFakeApi(consoleOrigin: () => string, issuer: () => string): Promise<Loopback & { calls: ApiCall[] }> {
  const calls: ApiCall[] = [];
  const server = await listen(async (request, response) => {
    const cors = { 'access-control-allow-origin': consoleOrigin(), vary: 'Origin' };
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET,POST', 'access-control-allow-headers': 'authorization,content-type', 'access-control-max-age': '3600' });
      response.end();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const call: ApiCall = { method: request.method ?? 'GET', path: `${url.pathname}${url.search}`, authorization: request.headers.authorization, status: 200 };
    calls.push(call);
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    const claims = scheme === 'Bearer' && token ? await verifyJwt(token, issuer()) : undefined;
    // HTTP API JWT authorizer: valid signature and exp; aud (ID token) or client_id (access token) is the client.
    if (!claims || (claims['aud'] ?? claims['client_id']) !== CLIENT_ID) {
      call.status = 401;
      return json(response, 401, { message: 'Unauthorized' }, cors);
    }
    if (request.method === 'GET' && url.pathname === '/enquiries') return json(response, 200, { items: [ENQUIRY], cursor: null }, cors);
    call.status = 404;
    return json(response, 404, { type: 'about:blank', title: 'Not Found', status: 404 }, { ...cors, 'content-type': 'application/problem+json' });
  });
  return Object.assign(server, { calls });
}

// ---------------------------------------------------------------------------------------------------
// The console as CloudFront serves it: static files from dist, config.json, the distribution's CSP

const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json' };

async function startConsoleHost(config: () => Record<string, string>): Promise<Loopback> {
  return listen(async (request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
    const { apiUrl = '', authDomain = '', issuer = '' } = config();
    const headers = {
      'content-security-policy': `default-src 'self'; connect-src 'self' ${apiUrl} ${authDomain} ${new URL(issuer).origin}; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    };
    if (pathname === '/config.json') return json(response, 200, config(), headers);
    // `/` is the default root object; `/callback` is the callback page's own index.html.
    const file = pathname === '/' ? 'index.html' : pathname === '/callback' || pathname === '/callback/' ? join('callback', 'index.html') : normalize(pathname.slice(1));
    const path = join(CONSOLE_DIST_DIR, file);
    if (file.startsWith('..') || !path.startsWith(CONSOLE_DIST_DIR + sep) || !CONTENT_TYPES[extname(file)]) {
      response.writeHead(403, headers);
      response.end();
      return;
    }
    try {
      const body = await readFile(path);
      response.writeHead(200, { ...headers, 'content-type': CONTENT_TYPES[extname(file)]! });
      response.end(body);
    } catch {
      response.writeHead(403, headers); // S3 behind OAC answers 403 for a missing key
      response.end();
    }
  });
}

// ---------------------------------------------------------------------------------------------------

let browser: Browser;
let host: Loopback;
let cognito: FakeCognito;
let apiServer: Loopback & { calls: ApiCall[] };
let context: BrowserContext | undefined;

beforeAll(async () => {
  await ensureConsoleBuilt();
  browser = await launchChromium();
  const origin = () => host.url;
  cognito = await startFakeCognito(origin);
  apiServer = await startFakeApi(origin, () => cognito.issuer);
  host = await startConsoleHost(() => ({ mode: 'cognito', apiUrl: apiServer.url, region: 'ap-east-1', userPoolId: USER_POOL_ID, clientId: CLIENT_ID, authDomain: cognito.url, issuer: cognito.issuer }));
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([host?.close(), cognito?.close(), apiServer?.close()]);
});

beforeEach(() => {
  cognito.authorizeCalls.length = 0;
  cognito.tokenCalls.length = 0;
  cognito.accessTokens.length = 0;
  cognito.logoutCalls.length = 0;
  cognito.revoked.length = 0;
  cognito.idTokenClaims.length = 0;
  cognito.lifetimeSeconds = 3600;
  cognito.refreshOutages = 0;
  apiServer.calls.length = 0;
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

async function openConsole(): Promise<{ page: Page; errors: string[] }> {
  context = await browser.newContext({ baseURL: host.url, viewport: { width: 1280, height: 900 }, locale: 'en-HK', timezoneId: 'Asia/Hong_Kong' });
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto('/');
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  return { page, errors };
}

const storage = (page: Page) => page.evaluate(() => ({ session: { ...sessionStorage }, local: { ...localStorage } }));

describe('deployed console: Cognito hosted UI sign-in with PKCE', () => {
  it('signs an agent in through /callback, keeps the tokens out of localStorage and calls the API with the Bearer token', async () => {
    const { page, errors } = await openConsole();
    // Cognito mode: no dev sign-in, no dev banner, no local-only views.
    expect(await page.locator('#dev-banner').isHidden()).toBe(true);
    expect(await page.getByLabel('Display name').count()).toBe(0);
    await screenshot(page, 'cognito-sign-in');

    await page.getByRole('button', { name: 'Sign in with staff account' }).click();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    await expect.poll(() => page.locator('#session-name').textContent()).toBe('Signed in as Chan Tai Man (agent)');
    await expect.poll(() => page.locator('#queue-table tbody tr[data-enquiry-id]').getAttribute('data-enquiry-id')).toBe(ENQUIRY.enquiryId);
    expect(page.url()).toBe(`${host.url}/#/queue`);
    await screenshot(page, 'cognito-agent-queue');

    // The authorize request: code flow, S256 challenge, state, the registered redirect URI and scopes.
    expect(cognito.authorizeCalls).toHaveLength(1);
    const authorize = Object.fromEntries(cognito.authorizeCalls[0]!);
    expect(authorize).toMatchObject({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: `${host.url}/callback`, scope: 'openid email profile', code_challenge_method: 'S256' });
    expect(authorize['state']!.length).toBeGreaterThanOrEqual(32);
    // A fresh nonce went out, and came back inside the ID token (oidc-client-ts refuses a mismatch).
    expect(authorize['nonce']).toMatch(/^[0-9a-f]{64}$/);
    expect(cognito.idTokenClaims[0]?.['nonce']).toBe(authorize['nonce']);
    // The code exchange carried the verifier of that challenge, and succeeded.
    expect(cognito.tokenCalls).toEqual([expect.objectContaining({ grantType: 'authorization_code', status: 200 })]);
    const verifier = cognito.tokenCalls[0]!.codeVerifier!;
    expect(verifier.length).toBeGreaterThanOrEqual(43);
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(authorize['code_challenge']);

    // The first API call went to the API (no /api prefix) with the access token as Bearer.
    expect(apiServer.calls[0]).toEqual({ method: 'GET', path: '/enquiries?status=awaiting_review&limit=100', authorization: `Bearer ${cognito.accessTokens[0]}`, status: 200 });
    expect(apiServer.calls.every((call) => call.status === 200)).toBe(true);

    // Agents: no dashboard link, no local-only views.
    expect(await page.getByRole('link', { name: 'Supervisor dashboard' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'SMS outbox' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Pipeline' }).count()).toBe(0);

    // Tokens in sessionStorage only; the verifier and state are gone once used.
    const stored = await storage(page);
    expect(Object.keys(stored.session)).toEqual([userKey()]);
    expect(stored.session[userKey()]).toContain(cognito.accessTokens[0]!);
    expect(JSON.stringify(stored.local)).not.toMatch(/eyJ|token/i);
    expect(errors).toEqual([]);

    // Sign out: the refresh token is revoked, then the hosted UI's logout, back to the console's sign-in.
    const { refresh_token: refreshToken } = JSON.parse(stored.session[userKey()]!) as { refresh_token: string };
    expect(cognito.refreshTokenWorks(refreshToken)).toBe(true);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    expect(cognito.revoked).toEqual([refreshToken]);
    expect(cognito.refreshTokenWorks(refreshToken)).toBe(false);
    expect(cognito.logoutCalls.map((query) => Object.fromEntries(query))).toEqual([{ client_id: CLIENT_ID, logout_uri: `${host.url}/` }]);
    expect((await storage(page)).session).toEqual({});
  });

  it('refreshes the tokens before they expire and uses the new access token', async () => {
    // 302 s tokens: the console refreshes 300 s before expiry, i.e. about 2 s after signing in.
    cognito.lifetimeSeconds = 302;
    const { page, errors } = await openConsole();
    await page.getByRole('button', { name: 'Sign in with staff account' }).click();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    await expect.poll(() => cognito.tokenCalls.map((call) => `${call.grantType}:${call.status}`), { timeout: 10_000 }).toContain('refresh_token:200');
    // The queue polls every 3 s: a later call carries a refreshed token. With 302 s tokens the console keeps
    // refreshing every ~2 s, so on a slow machine it may be the second or third refresh: any refreshed one counts.
    await expect
      .poll(() => cognito.accessTokens.slice(1).some((token) => apiServer.calls.at(-1)?.authorization === `Bearer ${token}`), { timeout: 15_000 })
      .toBe(true);
    expect(cognito.tokenCalls[0]).toMatchObject({ grantType: 'authorization_code', status: 200 });
    expect(apiServer.calls.every((call) => call.status === 200)).toBe(true);
    expect(await page.locator('#session-name').textContent()).toBe('Signed in as Chan Tai Man (agent)');
    expect(errors).toEqual([]);
  });

  it('refuses a wrong code verifier and a forged callback: no tokens, no API call', async () => {
    // Straight at the stand-in: a code issued for one verifier's challenge cannot be redeemed with another.
    const rightVerifier = randomBytes(48).toString('base64url');
    const authorize = await fetch(
      `${cognito.url}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: `${host.url}/callback`, scope: 'openid email profile', code_challenge_method: 'S256', code_challenge: createHash('sha256').update(rightVerifier).digest('base64url'), state: 's' })}`,
      { redirect: 'manual' },
    );
    expect(authorize.status).toBe(302);
    const code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
    const exchange = (codeVerifier: string) =>
      fetch(`${cognito.url}/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', client_id: CLIENT_ID, code, redirect_uri: `${host.url}/callback`, code_verifier: codeVerifier }) });
    const wrong = await exchange(randomBytes(48).toString('base64url'));
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: 'invalid_grant' });
    // ...and the code is spent: the right verifier is too late now.
    expect((await exchange(rightVerifier)).status).toBe(400);
    cognito.tokenCalls.length = 0;

    // In the browser: the verifier this tab kept is swapped for another before /callback runs.
    const { page, errors } = await openConsole();
    await page.context().addInitScript(() => {
      if (!window.location.pathname.startsWith('/callback')) return;
      for (const key of Object.keys(window.sessionStorage).filter((name) => name.startsWith('oidc.') && !name.startsWith('oidc.user:'))) {
        window.sessionStorage.setItem(key, JSON.stringify({ ...(JSON.parse(window.sessionStorage.getItem(key)!) as object), code_verifier: 'A'.repeat(64) }));
      }
    });
    await page.getByRole('button', { name: 'Sign in with staff account' }).click();
    const failure = page.locator('#auth-error');
    await failure.waitFor();
    expect(await failure.textContent()).toContain('invalid_grant');
    expect(cognito.tokenCalls).toEqual([expect.objectContaining({ grantType: 'authorization_code', status: 400, error: 'invalid_grant', codeVerifier: 'A'.repeat(64) })]);
    expect(new URL(page.url()).search).toBe(''); // the code left the address bar
    expect((await storage(page)).session).toEqual({});
    await screenshot(page, 'cognito-wrong-verifier');

    // A callback this tab never started (CSRF, injected code) never reaches the token endpoint.
    cognito.tokenCalls.length = 0;
    await page.goto(`/callback?${new URLSearchParams({ code: 'stolen-code', state: 'f'.repeat(32) })}`);
    await failure.waitFor();
    expect(await failure.textContent()).toContain('No matching state found');
    expect(cognito.tokenCalls).toEqual([]);
    expect(apiServer.calls).toEqual([]);
    expect((await storage(page)).session).toEqual({});
    expect(errors.filter((error) => !error.includes('status of 400'))).toEqual([]);
  });

  it('refuses a tampered state: the answer does not match the sign-in this tab started, no code exchange', async () => {
    const { page, errors } = await openConsole();
    // The hosted UI's answer arrives with its state altered (one character), before the console reads it.
    await page.context().addInitScript(() => {
      if (!window.location.pathname.startsWith('/callback')) return;
      const url = new URL(window.location.href);
      const state = url.searchParams.get('state') ?? '';
      url.searchParams.set('state', (state[0] === 'a' ? 'b' : 'a') + state.slice(1));
      window.history.replaceState(null, '', url);
    });
    await page.getByRole('button', { name: 'Sign in with staff account' }).click();
    const failure = page.locator('#auth-error');
    await failure.waitFor();
    expect(await failure.textContent()).toContain('No matching state found');
    expect(cognito.authorizeCalls).toHaveLength(1);
    expect(cognito.tokenCalls).toEqual([]);
    expect(apiServer.calls).toEqual([]);
    expect(Object.keys((await storage(page)).session).some((key) => key.startsWith('oidc.user:'))).toBe(false);
    await screenshot(page, 'cognito-tampered-state');
    expect(errors).toEqual([]);
  });

  it('refuses an expired sign-in: an answer to a sign-in started more than 15 minutes ago is not redeemed', async () => {
    const { page, errors } = await openConsole();
    // The user left the hosted UI open for 16 minutes: the pending sign-in is that old when the answer comes.
    await page.context().addInitScript(() => {
      if (!window.location.pathname.startsWith('/callback')) return;
      for (const key of Object.keys(window.sessionStorage).filter((name) => name.startsWith('oidc.') && !name.startsWith('oidc.user:'))) {
        const pending = JSON.parse(window.sessionStorage.getItem(key)!) as { created: number };
        window.sessionStorage.setItem(key, JSON.stringify({ ...pending, created: pending.created - 16 * 60 }));
      }
    });
    await page.getByRole('button', { name: 'Sign in with staff account' }).click();
    const failure = page.locator('#auth-error');
    await failure.waitFor();
    expect(await failure.textContent()).toContain('No matching state found');
    expect(cognito.tokenCalls).toEqual([]);
    // The stale sign-in is gone from storage too, and the user can start again.
    expect((await storage(page)).session).toEqual({});
    await page.getByRole('link', { name: 'Back to sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    expect(errors).toEqual([]);
  });

  it('drops a stored session whose tokens expired while the tab was closed: back to sign-in, nothing sent', async () => {
    const { page, errors } = await openConsole();
    await page.getByRole('button', { name: 'Sign in with staff account' }).click();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    // The laptop slept past the tokens' expiry: the stored session says they ran out an hour ago.
    await page.evaluate((key) => {
      const user = JSON.parse(window.sessionStorage.getItem(key)!) as { expires_at: number };
      window.sessionStorage.setItem(key, JSON.stringify({ ...user, expires_at: Math.floor(Date.now() / 1000) - 3600 }));
    }, userKey());
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    expect((await storage(page)).session).toEqual({});
    const callsAtSignIn = apiServer.calls.length;
    await page.waitForTimeout(3_500); // longer than the queue's poll: nothing is sent with the expired token
    expect(apiServer.calls.length).toBe(callsAtSignIn);
    expect(errors).toEqual([]);
  });

  it('keeps the session when the token service does not answer a refresh, while the tokens still work', async () => {
    cognito.lifetimeSeconds = 303; // refresh due about 3 s after signing in
    cognito.refreshOutages = 1;
    const { page, errors } = await openConsole();
    await page.getByRole('button', { name: 'Sign in with staff account' }).click();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    await expect.poll(() => cognito.tokenCalls.map((call) => `${call.grantType}:${call.status}`), { timeout: 20_000 }).toContain('refresh_token:503');
    // Still signed in, and the queue keeps polling with the access token it has (valid for another 5 minutes).
    const callsAtOutage = apiServer.calls.length;
    await expect.poll(() => apiServer.calls.length, { timeout: 10_000 }).toBeGreaterThan(callsAtOutage);
    expect(apiServer.calls.at(-1)).toMatchObject({ authorization: `Bearer ${cognito.accessTokens[0]}`, status: 200 });
    expect(await page.locator('#session-name').textContent()).toBe('Signed in as Chan Tai Man (agent)');
    expect(Object.keys((await storage(page)).session)).toEqual([userKey()]);
    expect(errors.filter((error) => !error.includes('status of 503'))).toEqual([]);
  });

  it('ends the session when the refresh is refused: tokens cleared, back to sign-in, no call with the old token', async () => {
    cognito.lifetimeSeconds = 303; // the console refreshes 300 s before expiry: about 3 s after signing in (and every 3 s after)
    const { page, errors } = await openConsole();
    await page.getByRole('button', { name: 'Sign in with staff account' }).click();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    // An administrator signs the user out everywhere: the refresh token stops working at the pool.
    const { refresh_token: refreshToken } = JSON.parse((await storage(page)).session[userKey()]!) as { refresh_token: string };
    cognito.revokeServerSide(refreshToken);
    await expect.poll(() => cognito.tokenCalls.map((call) => `${call.grantType}:${call.status}`), { timeout: 20_000 }).toContain('refresh_token:400');
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    expect((await storage(page)).session).toEqual({});
    const callsAfterRefusal = apiServer.calls.length;
    await page.waitForTimeout(4_000); // the queue polled every 3 s while signed in: it must have stopped
    expect(apiServer.calls.length).toBe(callsAfterRefusal);
    expect(apiServer.calls.every((call) => call.status === 200)).toBe(true);
    await screenshot(page, 'cognito-refresh-refused');
    expect(errors.filter((error) => !error.includes('status of 400'))).toEqual([]);
  });
});
