/**
 * The deployed console's sign-in, end to end in headless Chromium: the built dist served as CloudFront
 * would (index.html, callback/index.html, config.json in cognito mode, the distribution's CSP), a loopback
 * stand-in for the Cognito hosted UI that implements the authorization code grant with PKCE (RFC 7636) for
 * real, and a loopback stand-in for the HTTP API that, like its JWT authorizer, wants a valid Bearer token.
 * The stand-ins are test infrastructure, not product code: they check what Cognito and API Gateway check.
 */
import { createHash, createSign, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONSOLE_DIST_DIR, ensureConsoleBuilt } from '../../local/console/build.ts';
import { launchChromium, screenshot, watchPageErrors } from './console-harness.ts';

const CLIENT_ID = 'console-test-client';
const TOKENS_KEY = 'assist.auth.tokens';
const PENDING_KEY = 'assist.auth.pending';

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

function signJwt(claims: Record<string, unknown>): string {
  const input = `${b64url({ alg: 'RS256', kid: 'loopback', typ: 'JWT' })}.${b64url(claims)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
}

function verifyJwt(token: string): Record<string, unknown> | undefined {
  const [header, payload, signature, extra] = token.split('.');
  if (!header || !payload || !signature || extra !== undefined) return undefined;
  if (!createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(publicKey, Buffer.from(signature, 'base64url'))) return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return typeof claims['exp'] === 'number' && claims['exp'] * 1000 > Date.now() ? claims : undefined;
}

interface TokenCall {
  grantType: string | null;
  codeVerifier: string | null;
  status: number;
  error?: string;
}

interface FakeCognito extends Loopback {
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
}

async function startFakeCognito(consoleOrigin: () => string): Promise<FakeCognito> {
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string; used: boolean }>();
  const refreshTokens = new Set<string>();
  let issuer = '';
  const fake = {
    authorizeCalls: [] as URLSearchParams[],
    tokenCalls: [] as TokenCall[],
    accessTokens: [] as string[],
    logoutCalls: [] as URLSearchParams[],
    revoked: [] as string[],
    refreshTokenWorks: (token: string) => refreshTokens.has(token),
    lifetimeSeconds: 3600,
  };
  const issue = (refreshToken?: string) => {
    const now = Math.floor(Date.now() / 1000);
    const common = { sub: 'b1e2c3d4-agent', iss: issuer, 'cognito:groups': ['agent'], iat: now, auth_time: now, exp: now + fake.lifetimeSeconds };
    const accessToken = signJwt({ ...common, token_use: 'access', client_id: CLIENT_ID, scope: 'openid email profile', jti: randomBytes(8).toString('hex') });
    fake.accessTokens.push(accessToken);
    return {
      id_token: signJwt({ ...common, token_use: 'id', aud: CLIENT_ID, email: 'chan.tai.man@1823.example', name: 'Chan Tai Man' }),
      access_token: accessToken,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      expires_in: fake.lifetimeSeconds,
      token_type: 'Bearer',
    };
  };
  const cors = () => ({ 'access-control-allow-origin': consoleOrigin(), vary: 'Origin' });

  const server = await listen(async (request, response) => {
    const url = new URL(request.url ?? '/', issuer || 'http://127.0.0.1');
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
      codes.set(code, { clientId: CLIENT_ID, redirectUri: query.get('redirect_uri')!, challenge: query.get('code_challenge')!, used: false });
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
        refreshTokens.add(refreshToken);
        return json(response, 200, issue(refreshToken), cors());
      }
      if (form.get('grant_type') === 'refresh_token') {
        if (!refreshTokens.has(form.get('refresh_token') ?? '')) return refuse('invalid_grant');
        // Cognito does not rotate refresh tokens: the answer has none.
        return json(response, 200, issue(), cors());
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
  issuer = server.url;
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

async function startFakeApi(consoleOrigin: () => string): Promise<Loopback & { calls: ApiCall[] }> {
  const calls: ApiCall[] = [];
  const server = await listen((request, response) => {
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
    const claims = scheme === 'Bearer' && token ? verifyJwt(token) : undefined;
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
    const { apiUrl = '', authDomain = '' } = config();
    const headers = {
      'content-security-policy': `default-src 'self'; connect-src 'self' ${apiUrl} ${authDomain}; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
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
  apiServer = await startFakeApi(origin);
  host = await startConsoleHost(() => ({ mode: 'cognito', apiUrl: apiServer.url, region: 'ap-east-1', userPoolId: 'ap-east-1_Loopback', clientId: CLIENT_ID, authDomain: cognito.url }));
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
  cognito.lifetimeSeconds = 3600;
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
    expect(authorize['state']).toMatch(/^[A-Za-z0-9_-]{43}$/);
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
    expect(Object.keys(stored.session)).toEqual([TOKENS_KEY]);
    expect(stored.session[TOKENS_KEY]).toContain(cognito.accessTokens[0]!);
    expect(JSON.stringify(stored.local)).not.toMatch(/eyJ|token/i);
    expect(errors).toEqual([]);

    // Sign out: the refresh token is revoked, then the hosted UI's logout, back to the console's sign-in.
    const { refreshToken } = JSON.parse(stored.session[TOKENS_KEY]!) as { refreshToken: string };
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
    await page.context().addInitScript(([key]) => {
      if (!window.location.pathname.startsWith('/callback')) return;
      const pending = JSON.parse(window.sessionStorage.getItem(key!) ?? 'null') as { codeVerifier: string } | null;
      if (pending) window.sessionStorage.setItem(key!, JSON.stringify({ ...pending, codeVerifier: 'A'.repeat(64) }));
    }, [PENDING_KEY]);
    await page.getByRole('button', { name: 'Sign in with staff account' }).click();
    const failure = page.locator('#auth-error');
    await failure.waitFor();
    expect(await failure.textContent()).toContain('invalid_grant');
    expect(cognito.tokenCalls).toEqual([expect.objectContaining({ grantType: 'authorization_code', status: 400, error: 'invalid_grant', codeVerifier: 'A'.repeat(64) })]);
    expect(new URL(page.url()).search).toBe(''); // the code left the address bar
    expect((await storage(page)).session).toEqual({});
    await screenshot(page, 'cognito-wrong-verifier');

    // A callback whose state is not the one this tab sent (CSRF, injected code) never reaches the token endpoint.
    cognito.tokenCalls.length = 0;
    await page.evaluate(([key]) => window.sessionStorage.setItem(key!, JSON.stringify({ state: 'x'.repeat(43), codeVerifier: 'v'.repeat(64), returnTo: '#/', createdAt: Date.now() })), [PENDING_KEY]);
    await page.goto(`/callback?${new URLSearchParams({ code: 'stolen-code', state: 'forged-state' })}`);
    await failure.waitFor();
    expect(await failure.textContent()).toContain('does not match');
    expect((await storage(page)).session).toEqual({});
    // Nor does one this tab never started.
    await page.goto(`/callback?${new URLSearchParams({ code: 'stolen-code', state: 'x'.repeat(43) })}`);
    await failure.waitFor();
    expect(await failure.textContent()).toContain('no sign-in was started');
    expect(cognito.tokenCalls).toEqual([]);
    expect(apiServer.calls).toEqual([]);
    expect(errors.filter((error) => !error.includes('status of 400'))).toEqual([]);
  });
});
