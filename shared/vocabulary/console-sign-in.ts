/*
 * The console's sign-in URLs, which the Cognito app client registers (cdk/lib/assist-stack.ts) and the
 * console sends (console/auth.ts): one definition, so the two always agree.
 */

export const CALLBACK_PATH = '/callback';

/** `<origin>/callback`: the redirect URI registered on the user pool client. */
export function redirectUriFor(origin: string): string {
  return `${origin}${CALLBACK_PATH}`;
}

/** `<origin>/`: the sign-out URL registered on the user pool client. */
export function logoutUriFor(origin: string): string {
  return `${origin}/`;
}
