import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Follow tokens grant read access to one job, so a web app can hand its
 * user's browser a way to watch the job it enqueued without sharing the
 * read token (which would expose every job). A token is `exp.mac`, where mac
 * is an HMAC of the job id and the expiry; nothing is stored server-side, so
 * any server sharing the secret accepts it.
 */
export class FollowTokens {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly ttlMs: number,
  ) {
    // Hashing the secret with a label keeps follow MACs apart from any other use of the same secret.
    this.key = createHash('sha256').update(`docket-follow-token:${secret}`).digest();
  }

  /** A token for job `id`, valid for the configured lifetime from `now`. */
  issue(id: string, now = Date.now()): string {
    const exp = Math.ceil((now + this.ttlMs) / 1000);
    return `${exp}.${this.mac(id, exp)}`;
  }

  /** True when `token` was issued for job `id` and has not expired. Constant time in the MAC. */
  verify(id: string, token: string, now = Date.now()): boolean {
    const dot = token.indexOf('.');
    if (dot <= 0) return false;
    const exp = Number(token.slice(0, dot));
    if (!Number.isSafeInteger(exp) || exp * 1000 < now) return false;
    const given = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.mac(id, exp));
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(id: string, exp: number): string {
    return createHmac('sha256', this.key).update(`${id}\n${exp}`).digest('base64url');
  }
}
