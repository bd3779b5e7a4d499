import { createHmac, hkdfSync } from 'node:crypto';

/**
 * Recognises a repeated webhook. Keyed (HMAC), because the fields may hold a caller's digits and the
 * fingerprint is stored in the session: a plain hash of a 16-digit card number could be searched.
 */
export class RequestFingerprint {
  private readonly key: Buffer;

  constructor(secretsKey: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', secretsKey, Buffer.alloc(0), 'ringflow gateway request fingerprint', 32));
  }

  of(path: string, params: Record<string, string>): string {
    const hmac = createHmac('sha256', this.key).update(path);
    for (const name of Object.keys(params).sort()) hmac.update(`\n${name}=${params[name]}`);
    return hmac.digest('base64url');
  }
}
