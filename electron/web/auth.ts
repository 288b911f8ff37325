/**
 * Who may talk to the browser host: a browser that opened the printed URL (its random token, then a cookie so
 * the page's assets and WebSocket load without it), at the host's own address (a different Host header means
 * DNS rebinding), and for WebSockets only from the host's own origin (another site's page cannot drive it).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokensEqual(a: string | undefined | null, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Cookies are shared by every port of a host name, so the name carries the port. */
export function cookieName(port: number): string {
  return `xnai_token_${port}`;
}

export function cookieToken(req: IncomingMessage, port: number): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  const name = cookieName(port);
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function hostAllowed(req: IncomingMessage, port: number): boolean {
  return allowedHosts(port).includes((req.headers.host ?? '').toLowerCase());
}

/** Same origin as the page: http://127.0.0.1:N or http://localhost:N. A missing Origin is refused too. */
export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  return allowedHosts(port).some((h) => origin.toLowerCase() === `http://${h}`);
}

export function requestToken(req: IncomingMessage, url: URL, port: number, token: string): 'query' | 'cookie' | null {
  if (tokensEqual(url.searchParams.get('token'), token)) return 'query';
  if (tokensEqual(cookieToken(req, port), token)) return 'cookie';
  return null;
}
