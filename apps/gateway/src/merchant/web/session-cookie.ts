import { parseCookie, stringifySetCookie } from 'cookie';

/** The `__Host-` prefix makes a browser refuse the cookie unless it is Secure, host-only and for path /. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-ringflow_merchant' : 'ringflow_merchant';
}

/** The session cookie's value from a Cookie header, or undefined. */
export function readSessionCookie(header: string | undefined, secure: boolean): string | undefined {
  if (!header) return undefined;
  return parseCookie(header)[sessionCookieName(secure)];
}

/** Set-Cookie for a session: HttpOnly, SameSite=Strict, Secure unless turned off for local development. */
export function sessionSetCookie(value: string, secure: boolean): string {
  return stringifySetCookie(sessionCookieName(secure), value, { httpOnly: true, secure, sameSite: 'strict', path: '/' });
}

export function clearedSessionCookie(secure: boolean): string {
  return stringifySetCookie(sessionCookieName(secure), '', { httpOnly: true, secure, sameSite: 'strict', path: '/', maxAge: 0 });
}
