/**
 * The browser half of the deployed console's sign-in: config.json, and oidc-client-ts's UserManager driving
 * the Cognito hosted UI (auth.ts holds the settings). This file is glue: which storage, what to do when a
 * refresh fails, and Cognito's own logout.
 */
import { ErrorResponse, UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import { AuthError, checkIdTokenClaims, displayNameOf, logoutUriFor, logoutUrl, oidcSettings, parseConsoleConfig, roleOf, safeReturnTo, type CognitoConfig, type Role } from './auth.ts';

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

/** A nonce per sign-in (OIDC Core 3.1.2.1): oidc-client-ts keeps it with the state and checks the ID token's. */
const RETRY_MS = 30_000;

const freshNonce = () => Array.from(crypto.getRandomValues(new Uint8Array(32)), (byte) => byte.toString(16).padStart(2, '0')).join('');

export class CognitoSession {
  private readonly manager: UserManager;
  private user: User | null = null;
  private expired: () => void = () => undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly config: CognitoConfig,
    storage: Storage = window.sessionStorage,
    private readonly origin: string = window.location.origin,
  ) {
    const store = new WebStorageStateStore({ store: storage });
    this.manager = new UserManager(oidcSettings(config, origin, { userStore: store, stateStore: store }));
    this.manager.events.addUserLoaded((user) => void (this.user = user));
    // The refresh was refused (refresh token revoked or expired) or the tokens ran out: the session is over.
    this.manager.events.addSilentRenewError((error) => void this.renewFailed(error));
    this.manager.events.addAccessTokenExpired(() => void this.end());
  }

  /** Loads the stored session (if any) before the first user() call. */
  async load(): Promise<void> {
    const user = await this.manager.getUser();
    this.user = user && !user.expired ? user : null;
    if (user && !this.user) await this.manager.removeUser();
  }

  /** Called when the session ends without the user asking (refresh refused, tokens expired). */
  onExpired(handler: () => void): void {
    this.expired = handler;
  }

  /** Who the ID token says is signed in; for display and routing only, the API checks the access token. */
  currentUser(): SignedInUser | undefined {
    if (!this.user || this.user.expired) return undefined;
    const claims = this.user.profile;
    return { sub: claims.sub, name: displayNameOf(claims), role: roleOf(claims) };
  }

  /** A current access token for the API's Authorization header (the library refreshes it ahead of expiry). */
  accessToken(): Promise<string | undefined> {
    return Promise.resolve(this.user && !this.user.expired ? this.user.access_token : undefined);
  }

  /** Sends the tab to the hosted UI; the library keeps the PKCE verifier, state and nonce in sessionStorage. */
  async beginSignIn(returnTo: string): Promise<void> {
    await this.manager.signinRedirect({ state: safeReturnTo(returnTo), nonce: freshNonce() });
  }

  /**
   * On /callback: the library checks the state and the nonce and trades the code and verifier for tokens; a
   * sign-in older than PENDING_MAX_AGE_SECONDS is dropped first, so its answer no longer matches any state.
   * Returns the hash to go back to.
   */
  async completeSignIn(url: string): Promise<string> {
    await this.manager.clearStaleState();
    const user = await this.manager.signinRedirectCallback(url);
    try {
      checkIdTokenClaims(user.profile, this.config);
    } catch (error) {
      await this.manager.removeUser();
      throw error;
    }
    this.user = user;
    return safeReturnTo(user.state);
  }

  /**
   * Revokes the refresh token at Cognito (so neither this tab nor anyone who copied it can get new tokens),
   * forgets the tokens here and ends the hosted UI's session, which sends the tab back to `<origin>/`.
   * A revocation that fails (network) does not keep the user signed in: the hosted UI logout still runs.
   */
  async signOut(): Promise<void> {
    this.manager.stopSilentRenew();
    await this.manager.revokeTokens().catch(() => undefined);
    await this.clear();
    window.location.assign(logoutUrl(this.config, logoutUriFor(this.origin)));
  }

  async clear(): Promise<void> {
    this.user = null;
    clearTimeout(this.retry);
    await this.manager.removeUser();
    await this.manager.clearStaleState();
  }

  /**
   * Refused by Cognito (an OAuth error answer: the refresh token was revoked or expired): the session is over.
   * The service not answering keeps a session whose tokens still work, and tries again shortly.
   */
  private async renewFailed(error: Error): Promise<void> {
    if (!(error instanceof ErrorResponse) && this.user && !this.user.expired) {
      clearTimeout(this.retry);
      this.retry = setTimeout(() => void this.manager.signinSilent().catch((again: unknown) => this.renewFailed(again instanceof Error ? again : new Error(String(again)))), RETRY_MS);
      return;
    }
    await this.end();
  }

  private async end(): Promise<void> {
    await this.clear();
    this.expired();
  }
}

export { AuthError };
