import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Tenant secrets at rest: AES-256-GCM with a random 96-bit IV. The tenant id and the secret's purpose
 * are bound in as associated data, so a ciphertext copied to another tenant or field fails to open.
 */
export class SecretsCipher {
  private static readonly VERSION = 'v1';

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('SecretsCipher needs a 32-byte key');
  }

  encrypt(plaintext: string, context: { tenantId: string; purpose: string }): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`${context.tenantId}/${context.purpose}`));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [SecretsCipher.VERSION, iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  decrypt(sealed: string, context: { tenantId: string; purpose: string }): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== SecretsCipher.VERSION || !iv || !tag || body === undefined) throw new Error('unreadable sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${context.tenantId}/${context.purpose}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
