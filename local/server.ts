/**
 * The local console server behind `npm start`: serves the built review console and turns `/api/*` HTTP
 * requests into the API Gateway HTTP API (payload 2.0, JWT authorizer) events the review-api handler takes
 * in AWS, against the local stack.
 *
 * DEV ONLY: `/dev/sign-in` hands out a session for any role without a password. The token is signed with a
 * random per-process secret and only this loopback server accepts it. The deployed console signs in with
 * the Cognito user pool instead; nothing here ships.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { CONSOLE_DIST_DIR, ensureConsoleBuilt } from '../console/build.ts';
import type { LocalStack } from './stack.ts';
import { REVIEW_ROUTES } from '../cdk/lib/review-api.ts';

export interface ConsoleServerOptions {
  stack: LocalStack;
  /** 0 picks a free port (tests). */
  port: number;
  host?: string;
  /** Session lifetime; 12 hours by default (a shift). */
  sessionSeconds?: number;
}

export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

/** Largest request body accepted (a decision is well under 4 KB; MAX_REPLY_CHARS is 2000). */
export const MAX_BODY_BYTES = 64 * 1024;
const SESSION_COOKIE = 'assist_dev_session';

/** The review API's routes, as API Gateway's route table matches them (the CDK construct's list: one definition). */
const ROUTES: { method: string; path: string }[] = REVIEW_ROUTES.map((route) => ({ method: String(route.method), path: route.path }));

const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
// The HTML topic report is self-contained (inline styles and SVG): sandboxed, no script, nothing fetched.
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};
const STATIC_FILES = new Set(['/index.html', '/app.js', '/app.js.map', '/styles.css']);

type Role = 'agent' | 'supervisor';
interface Session {
  sub: string;
  name: string;
  groups: Role[];
  exp: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

// ---------------------------------------------------------------------------------------------------
// DEV ONLY session tokens: base64url(JSON claims) + "." + base64url(HMAC-SHA256)

function createSessionSigner(secret: Buffer) {
  const mac = (payload: string) => createHmac('sha256', secret).update(payload).digest();
  return {
    sign(session: Session): string {
      const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
      return `${payload}.${mac(payload).toString('base64url')}`;
    },
    verify(token: string | undefined, nowSeconds: number): Session | undefined {
      if (!token) return undefined;
      const [payload, signature, extra] = token.split('.');
      if (!payload || !signature || extra !== undefined) return undefined;
      const expected = mac(payload);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Session;
        return typeof session.exp === 'number' && session.exp > nowSeconds && Array.isArray(session.groups) ? session : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

function cookieValue(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Pipeline progress: StateEntered events seen on the runtime's executions, with the time first seen

interface ProgressEvent {
  at: string;
  enquiryId: string;
  state: string;
}

function watchProgress(stack: LocalStack, limit = 500) {
  const events: ProgressEvent[] = [];
  const seen = new Map<string, number>();
  const poll = () => {
    const at = new Date().toISOString();
    for (const execution of stack.runtime.allExecutions()) {
      const already = seen.get(execution.name) ?? 0;
      for (const state of execution.statesEntered.slice(already)) events.push({ at, enquiryId: execution.name, state });
      seen.set(execution.name, execution.statesEntered.length);
    }
    if (events.length > limit) events.splice(0, events.length - limit);
  };
  const timer = setInterval(poll, 200);
  timer.unref();
  return {
    snapshot() {
      poll();
      const executions = stack.runtime
        .allExecutions()
        .map((execution) => ({
          enquiryId: execution.name,
          status: execution.status,
          states: [...execution.statesEntered],
          current: execution.status === 'RUNNING' ? (execution.statesEntered.at(-1) ?? null) : null,
          ...(execution.error ? { error: execution.error.split(':')[0] } : {}),
        }))
        .sort((a, b) => a.enquiryId.localeCompare(b.enquiryId));
      return { executions, events: events.slice(-200) };
    },
    stop: () => clearInterval(timer),
  };
}

// ---------------------------------------------------------------------------------------------------
// HTTP plumbing

async function readBody(request: IncomingMessage): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, 'Content Too Large', `the body may be at most ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'Content Too Large', `the body may be at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer, headOnly = false): void {
  if (response.headersSent) return;
  response.writeHead(status, { ...headers, ...SECURITY_HEADERS, ...(headers['content-security-policy'] ? { 'content-security-policy': headers['content-security-policy'] } : {}) });
  response.end(headOnly ? undefined : body);
}

function sendJson(response: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  send(response, status, { 'content-type': contentType, 'cache-control': 'no-store' }, JSON.stringify(body));
}

function sendProblem(response: ServerResponse, error: HttpError): void {
  const type = `https://1823-assist.example/problems/${error.title.toLowerCase().replaceAll(' ', '-')}`;
  send(
    response,
    error.status,
    { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...error.headers },
    JSON.stringify({ type, title: error.title, status: error.status, detail: error.message }),
  );
}

/** Requests that change state must come from the console itself: JSON content type and, when sent, our Origin. */
function assertSameOriginJson(request: IncomingMessage): void {
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('application/json')) throw new HttpError(415, 'Unsupported Media Type', 'send application/json');
  const from = request.headers.origin;
  if (from !== undefined && from !== `http://${request.headers.host}`) throw new HttpError(403, 'Forbidden', 'cross-origin request refused');
}

function matchRoute(method: string, path: string): { routeKey: string; pathParameters: Record<string, string> } | { allowed: string[] } | undefined {
  const segments = path.split('/').filter(Boolean);
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const pathParameters: Record<string, string> = {};
    const matches = pattern.every((part, index) => {
      const segment = segments[index]!;
      if (part.startsWith('{') && part.endsWith('}')) {
        try {
          pathParameters[part.slice(1, -1)] = decodeURIComponent(segment);
        } catch {
          return false;
        }
        return true;
      }
      return part === segment;
    });
    if (!matches) continue;
    if (route.method === method) return { routeKey: `${route.method} ${route.path}`, pathParameters };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { allowed } : undefined;
}

function queryParameters(url: URL): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  // API Gateway joins repeated parameters with commas.
  for (const [key, value] of url.searchParams) params[key] = key in params ? `${params[key]},${value}` : value;
  return Object.keys(params).length > 0 ? params : undefined;
}

function toApiEvent(options: {
  request: IncomingMessage;
  url: URL;
  apiPath: string;
  routeKey: string;
  pathParameters: Record<string, string>;
  body: string | undefined;
  session: Session | undefined;
}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const { request, url, apiPath, routeKey, pathParameters, body, session } = options;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    // The session cookie is this server's credential, not the API's: API Gateway would have consumed the JWT.
    if (name === 'cookie' || name === 'authorization' || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const now = new Date();
  const query = queryParameters(url);
  return {
    version: '2.0',
    routeKey,
    rawPath: apiPath,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    ...(body !== undefined && body !== '' ? { body } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: { method: request.method ?? 'GET', path: apiPath, protocol: 'HTTP/1.1', sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: request.headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: {
          // Claims as the HTTP API JWT authorizer passes Cognito's: groups as the string "[agent]". No session, no claims: the handler answers 401.
          claims: session ? { sub: session.sub, name: session.name, 'cognito:groups': `[${session.groups.join(' ')}]`, token_use: 'access' } : {},
          scopes: [],
        },
      },
    },
  };
}

function copyResult(response: ServerResponse, result: APIGatewayProxyStructuredResultV2, headOnly: boolean): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if ((headers['content-type'] ?? '').startsWith('text/html')) headers['content-security-policy'] = REPORT_CSP;
  if ((headers['content-type'] ?? '').startsWith('text/csv')) headers['content-disposition'] ??= 'attachment; filename="topic-report.csv"';
  const body = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  send(response, result.statusCode ?? 200, headers, body, headOnly);
}

// ---------------------------------------------------------------------------------------------------

/**
 * Starts the console on loopback. Builds the console first when console/dist is missing or stale.
 */
export async function startConsoleServer({ stack, port, host = '127.0.0.1', sessionSeconds = 12 * 3600 }: ConsoleServerOptions): Promise<ConsoleServer> {
  await ensureConsoleBuilt();
  const signer = createSessionSigner(randomBytes(32));
  const progress = watchProgress(stack);
  let origin = 'http://localhost';
  const loopbackHosts = new Set<string>();
  const inFlight = new Set<Promise<void>>();

  const sessionOf = (request: IncomingMessage) => signer.verify(cookieValue(request, SESSION_COOKIE), Math.floor(Date.now() / 1000));
  const requireSession = (request: IncomingMessage): Session => {
    const session = sessionOf(request);
    if (!session) throw new HttpError(401, 'Unauthorized', 'sign in first');
    return session;
  };
  const sessionCookie = (value: string, maxAge: number) => `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}`;

  /** After a decision: let the workflow reach QueueSms, then deliver the sms-outbox queue like its event source mapping. */
  const deliverSmsAfterDecision = async (enquiryId: string | undefined) => {
    const execution = enquiryId ? stack.runtime.execution(enquiryId) : undefined;
    if (execution) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([execution.done, new Promise<void>((resolve) => (timer = setTimeout(resolve, 5000)))]);
      clearTimeout(timer);
    }
    await stack.processSmsOutbox();
  };

  async function handleApi(request: IncomingMessage, response: ServerResponse, url: URL, method: string): Promise<void> {
    const apiPath = url.pathname.slice('/api'.length) || '/';
    if (apiPath === '/local/outbox' || apiPath === '/local/progress') {
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'Method Not Allowed', 'use GET', { allow: 'GET' });
      requireSession(request);
      return sendJson(response, 200, apiPath === '/local/outbox' ? stack.smsSent() : progress.snapshot());
    }
    const route = matchRoute(method === 'HEAD' ? 'GET' : method, apiPath);
    if (!route) throw new HttpError(404, 'Not Found', `no route ${method} ${apiPath}`);
    if ('allowed' in route) throw new HttpError(405, 'Method Not Allowed', `use ${route.allowed.join(', ')}`, { allow: route.allowed.join(', ') });
    let body: string | undefined;
    if (method === 'POST') {
      assertSameOriginJson(request);
      body = await readBody(request);
    }
    const event = toApiEvent({ request, url, apiPath, routeKey: route.routeKey, pathParameters: route.pathParameters, body, session: sessionOf(request) });
    const result = await stack.reviewApi(event);
    if (route.routeKey === 'POST /enquiries/{id}/decision' && result.statusCode === 200) {
      await deliverSmsAfterDecision(route.pathParameters['id']).catch((error: unknown) => console.error(`console: delivering the SMS outbox failed: ${(error as Error).name}`));
    }
    if (route.routeKey === 'POST /incidents/{id}/apply' && result.statusCode === 200) {
      // Each applied report resumed its own execution: deliver their SMS as the SQS event source would.
      const applied = (JSON.parse(String(result.body)) as { applied?: { enquiryId: string }[] }).applied ?? [];
      await Promise.all(applied.map((a) => deliverSmsAfterDecision(a.enquiryId))).catch((error: unknown) => console.error(`console: delivering the SMS outbox failed: ${(error as Error).name}`));
    }
    copyResult(response, result, method === 'HEAD');
  }

  async function handleDev(request: IncomingMessage, response: ServerResponse, path: string, method: string): Promise<void> {
    if (path === '/dev/session' && method === 'GET') {
      // 200 either way: "not signed in" is an answer, not an error.
      const session = sessionOf(request);
      return sendJson(response, 200, session ? { name: session.name, role: session.groups[0], sub: session.sub } : null);
    }
    if (path === '/dev/sign-in' && method === 'POST') {
      assertSameOriginJson(request);
      let input: unknown;
      try {
        input = JSON.parse(await readBody(request));
      } catch {
        throw new HttpError(400, 'Bad Request', 'body: must be JSON');
      }
      const { role, name } = (typeof input === 'object' && input !== null ? input : {}) as { role?: unknown; name?: unknown };
      if (role !== 'agent' && role !== 'supervisor') throw new HttpError(400, 'Bad Request', 'role: must be "agent" or "supervisor"');
      const displayName = typeof name === 'string' && name.trim() ? name.trim().slice(0, 60) : role === 'agent' ? 'Agent' : 'Supervisor';
      const slug = displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'user';
      const session: Session = { sub: `dev-${role}-${slug}`, name: displayName, groups: [role], exp: Math.floor(Date.now() / 1000) + sessionSeconds };
      send(
        response,
        200,
        { 'content-type': 'application/json', 'cache-control': 'no-store', 'set-cookie': sessionCookie(signer.sign(session), sessionSeconds) },
        JSON.stringify({ name: session.name, role, sub: session.sub }),
      );
      return;
    }
    if (path === '/dev/sign-out' && method === 'POST') {
      assertSameOriginJson(request);
      send(response, 204, { 'cache-control': 'no-store', 'set-cookie': sessionCookie('', 0) }, '');
      return;
    }
    throw new HttpError(404, 'Not Found', `no route ${method} ${path}`);
  }

  async function handleStatic(response: ServerResponse, path: string, method: string): Promise<void> {
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'Method Not Allowed', 'use GET', { allow: 'GET, HEAD' });
    const file = path === '/' ? '/index.html' : path;
    if (!STATIC_FILES.has(file)) throw new HttpError(404, 'Not Found', `no file ${path}`);
    const body = await readFile(join(CONSOLE_DIST_DIR, file));
    send(response, 200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' }, body, method === 'HEAD');
  }

  const server = createServer((request, response) => {
    const work = (async () => {
      const method = request.method ?? 'GET';
      const url = new URL(request.url ?? '/', origin);
      try {
        // Loopback names only: a page on another site resolving its name to 127.0.0.1 (DNS rebinding) gets nothing.
        if (!loopbackHosts.has(request.headers.host ?? '')) throw new HttpError(421, 'Misdirected Request', 'use the URL the server printed');
        if (url.pathname === '/api' || url.pathname.startsWith('/api/')) await handleApi(request, response, url, method);
        else if (url.pathname.startsWith('/dev/')) await handleDev(request, response, url.pathname, method);
        else await handleStatic(response, url.pathname, method);
      } catch (error) {
        if (error instanceof HttpError) sendProblem(response, error);
        else {
          console.error(`console: ${method} ${url.pathname} failed: ${(error as Error).name}: ${(error as Error).message}`);
          sendProblem(response, new HttpError(500, 'Internal Server Error', 'the local console server failed; see its log'));
        }
        // Unread request bodies (e.g. over the limit) would keep the socket busy.
        if (!request.complete) request.resume();
      }
    })();
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${hostForUrl}:${address.port}`;
  for (const name of [hostForUrl, 'localhost', '127.0.0.1', '[::1]']) loopbackHosts.add(`${name}:${address.port}`);

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/`,
    close() {
      closing ??= (async () => {
        progress.stop();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await Promise.allSettled([...inFlight]);
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}
