import { decodeToken, isExpired, type Session } from './token.js';

const KEY = 'lic.dashboard.token';

/** Remembers the token for this tab (sessionStorage) or, when asked, for this device. */
export function storeToken(token: string, remember: boolean): void {
  try {
    clearToken();
    (remember ? localStorage : sessionStorage).setItem(KEY, token);
  } catch {
    // storage unavailable: the session lasts until the page is reloaded
  }
}

export function clearToken(): void {
  try {
    localStorage.removeItem(KEY);
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}

export function restoreSession(now: Date): Session | undefined {
  try {
    const raw = sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY);
    if (!raw) return undefined;
    const session = decodeToken(raw);
    if (isExpired(session, now)) {
      clearToken();
      return undefined;
    }
    return session;
  } catch {
    clearToken();
    return undefined;
  }
}
