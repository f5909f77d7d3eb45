import { createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import jwt from 'jsonwebtoken';

/**
 * Direct Line tokens: short-lived, bound to one conversation and one user, signed with
 * the Direct Line secret (HS256). The claims have Azure Direct Line's names (`conv`,
 * `user`), so Web Chat and botframework-directlinejs read the user id from the token as
 * they do with Azure's, and never let a page choose another one.
 */

/** Clients refresh every 15 minutes; a token lives twice as long. */
export const TOKEN_LIFETIME_SECONDS = 30 * 60;
/** A stream URL is used at once to open the WebSocket; it need not live long. */
export const STREAM_TOKEN_LIFETIME_SECONDS = 5 * 60;

const ISSUER = 'gallery-access-assistant/directline';

export type TokenKind = 'conversation' | 'stream';

export interface TokenClaims {
  conversationId: string;
  userId: string;
  kind: TokenKind;
}

interface JwtPayload {
  conv: string;
  user: string;
  kind: TokenKind;
}

export class DirectLineTokens {
  /**
   * The secret as a signing key, made once: given the string, the token library makes a
   * key object of it on every sign and verify, a fifth of a help-chat turn's CPU.
   */
  private readonly key: KeyObject;

  constructor(
    private readonly secret: string,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  /** A token for `conversationId` and `userId`, good for TOKEN_LIFETIME_SECONDS (or the stream's). */
  issue(conversationId: string, userId: string, kind: TokenKind = 'conversation'): string {
    // `iat` from our clock: `exp` follows from it, and tests move the clock through `now`.
    const payload: JwtPayload & { iat: number } = { conv: conversationId, user: userId, kind, iat: Math.floor(this.now() / 1000) };
    return jwt.sign(payload, this.key, {
      algorithm: 'HS256',
      issuer: ISSUER,
      expiresIn: kind === 'stream' ? STREAM_TOKEN_LIFETIME_SECONDS : TOKEN_LIFETIME_SECONDS,
    });
  }

  /** The claims of a valid token of `kind`, or null for anything forged, expired or of another kind. */
  verify(token: string, kind: TokenKind = 'conversation'): TokenClaims | null {
    try {
      const payload = jwt.verify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        clockTimestamp: Math.floor(this.now() / 1000),
      }) as Partial<JwtPayload> | string;
      if (typeof payload === 'string' || payload.kind !== kind) return null;
      if (typeof payload.conv !== 'string' || typeof payload.user !== 'string') return null;
      return { conversationId: payload.conv, userId: payload.user, kind };
    } catch {
      return null;
    }
  }

  /** Whether `candidate` is the secret itself (the Bearer of tokens/generate), compared in constant time. */
  isSecret(candidate: string): boolean {
    const given = Buffer.from(candidate, 'utf8');
    const expected = Buffer.from(this.secret, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/**
 * The Direct Line secret: DIRECTLINE_SECRET when set, else the one generated on the first
 * start and kept in `file` (readable by the bot's user only), so tokens handed out before a
 * restart stay valid after it.
 */
export function loadDirectLineSecret(configured: string | undefined, file: string): string {
  if (configured !== undefined) return configured;
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 32) return kept;
  }
  const generated = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${generated}\n`, { mode: 0o600 });
  return generated;
}
