/**
 * The browser half of the deployed console's sign-in (auth.ts holds the pure half): config.json, the
 * redirects to and from the Cognito hosted UI, the code exchange, the refresh timer and sign-out.
 *
 * Tokens live in memory and in sessionStorage (this tab only, gone when it closes), never in localStorage
 * or cookies. The PKCE verifier and state wait in sessionStorage while the hosted UI has the tab.
 */
import {
  AuthError,
  authorizeUrl,
  codeExchangeBody,
  createPendingSignIn,
  decodeJwtPayload,
  displayNameOf,
  isExpired,
  logoutUrl,
  logoutUriFor,
  parseConsoleConfig,
  parsePendingSignIn,
  parseTokenSet,
  redirectUriFor,
  refreshBody,
  refreshDelay,
  revokeBody,
  revokeUrl,
  roleOf,
  shouldRefresh,
  tokenSetFrom,
  tokenUrl,
  verifyCallback,
  type CognitoConfig,
  type Role,
  type TokenSet,
} from './auth.ts';

export const TOKENS_KEY = 'assist.auth.tokens';
export const PENDING_KEY = 'assist.auth.pending';
const RETRY_MS = 30_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Reads /config.json next to index.html. No file (the local server answers 404), or a file whose mode is
 * not 'cognito': undefined, the local dev console. A cognito file that does not parse throws.
 */
export async function loadConsoleConfig(): Promise<CognitoConfig | undefined> {
  let response: Response;
  try {
    response = await fetch('/config.json', { headers: { accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' });
  } catch {
    return undefined;
  }
  if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return undefined;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return undefined;
  }
  return parseConsoleConfig(body);
}

export interface SignedInUser {
  sub: string;
  name: string;
  /** undefined: signed in, but in neither the agent nor the supervisor group. */
  role: Role | undefined;
}

async function postForm(url: string, body: URLSearchParams): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new AuthError('network', 'the sign-in service did not answer');
  }
  const parsed: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    const code = typeof error['error'] === 'string' ? error['error'] : `http_${response.status}`;
    throw new AuthError(code, typeof error['error_description'] === 'string' ? `${code}: ${error['error_description']}` : `${code} (HTTP ${response.status})`);
  }
  return parsed;
}

export class CognitoSession {
  private tokens: TokenSet | undefined;
  private refreshing: Promise<TokenSet | undefined> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private expired: () => void = () => undefined;

  constructor(
    readonly config: CognitoConfig,
    private readonly storage: Storage = window.sessionStorage,
    private readonly origin: string = window.location.origin,
  ) {
    this.tokens = parseTokenSet(storage.getItem(TOKENS_KEY));
    if (this.tokens && isExpired(this.tokens, Date.now()) && !this.tokens.refreshToken) this.clear();
    this.schedule();
  }

  /** Called when the session ends without the user asking (refresh refused, tokens expired). */
  onExpired(handler: () => void): void {
    this.expired = handler;
  }

  get redirectUri(): string {
    return redirectUriFor(this.origin);
  }

  /** Who the ID token says is signed in; for display and routing only, the API checks the access token. */
  user(): SignedInUser | undefined {
    if (!this.tokens) return undefined;
    if (isExpired(this.tokens, Date.now()) && !this.tokens.refreshToken) return undefined;
    try {
      const claims = decodeJwtPayload(this.tokens.idToken);
      return { sub: String(claims['sub'] ?? ''), name: displayNameOf(claims), role: roleOf(claims) };
    } catch {
      this.clear();
      return undefined;
    }
  }

  /** A current access token for the API's Authorization header, refreshed first when it is about to expire. */
  async accessToken(): Promise<string | undefined> {
    const tokens = this.tokens;
    if (!tokens) return undefined;
    if (!shouldRefresh(tokens, Date.now())) return tokens.accessToken;
    const fresh = await this.refresh();
    if (fresh) return fresh.accessToken;
    return this.tokens && !isExpired(this.tokens, Date.now()) ? this.tokens.accessToken : undefined;
  }

  /** Sends the tab to the hosted UI; the verifier and state stay behind in sessionStorage. */
  async beginSignIn(returnTo: string): Promise<void> {
    const { pending, codeChallenge } = await createPendingSignIn(returnTo, Date.now());
    this.storage.setItem(PENDING_KEY, JSON.stringify(pending));
    window.location.assign(authorizeUrl(this.config, { redirectUri: this.redirectUri, codeChallenge, state: pending.state }));
  }

  /**
   * On /callback: checks the state, trades the code and the verifier for tokens and returns the hash to go
   * back to. The pending sign-in is used once, whether this succeeds or not.
   */
  async completeSignIn(search: string): Promise<string> {
    const pending = parsePendingSignIn(this.storage.getItem(PENDING_KEY));
    this.storage.removeItem(PENDING_KEY);
    const { code } = verifyCallback(new URLSearchParams(search), pending, Date.now());
    const body = codeExchangeBody(this.config, { code, redirectUri: this.redirectUri, codeVerifier: pending!.codeVerifier });
    this.store(tokenSetFrom(await postForm(tokenUrl(this.config), body), Date.now()));
    return pending!.returnTo;
  }

  /**
   * Revokes the refresh token at Cognito (so neither this tab nor anyone who copied it can get new tokens),
   * forgets the tokens here and ends the hosted UI's session, which sends the tab back to `<origin>/`.
   * A revocation that fails (network) does not keep the user signed in: the hosted UI logout still runs.
   */
  async signOut(): Promise<void> {
    const refreshToken = this.tokens?.refreshToken;
    this.clear();
    if (refreshToken) await postForm(revokeUrl(this.config), revokeBody(this.config, refreshToken)).catch(() => undefined);
    window.location.assign(logoutUrl(this.config, logoutUriFor(this.origin)));
  }

  clear(): void {
    this.tokens = undefined;
    this.refreshing = undefined;
    clearTimeout(this.timer);
    this.storage.removeItem(TOKENS_KEY);
  }

  private store(tokens: TokenSet): void {
    this.tokens = tokens;
    this.storage.setItem(TOKENS_KEY, JSON.stringify(tokens));
    this.schedule();
  }

  private schedule(delay?: number): void {
    clearTimeout(this.timer);
    if (!this.tokens?.refreshToken) return;
    this.timer = setTimeout(() => void this.refresh(), Math.min(MAX_TIMER_MS, delay ?? refreshDelay(this.tokens, Date.now())));
  }

  /** One refresh at a time; undefined when there is nothing to refresh with or the service refused. */
  private refresh(): Promise<TokenSet | undefined> {
    if (this.refreshing) return this.refreshing;
    const previous = this.tokens;
    const refreshToken = previous?.refreshToken;
    if (!previous || !refreshToken) return Promise.resolve(undefined);
    const run = async (): Promise<TokenSet | undefined> => {
      try {
        const fresh = tokenSetFrom(await postForm(tokenUrl(this.config), refreshBody(this.config, refreshToken)), Date.now(), previous);
        if (this.tokens !== previous) return undefined;
        this.store(fresh);
        return fresh;
      } catch (error) {
        if (this.tokens !== previous) return undefined;
        // The service did not answer: try again shortly while the tokens still work.
        const transient = error instanceof AuthError && (error.code === 'network' || error.code.startsWith('http_5'));
        if (transient && !isExpired(previous, Date.now())) {
          this.schedule(RETRY_MS);
          return undefined;
        }
        this.clear();
        this.expired();
        return undefined;
      }
    };
    const refreshing = run().finally(() => {
      if (this.refreshing === refreshing) this.refreshing = undefined;
    });
    this.refreshing = refreshing;
    return refreshing;
  }
}
