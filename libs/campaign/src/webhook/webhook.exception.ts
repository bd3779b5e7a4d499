export type WebhookExceptionCode = 'invalid-input' | 'not-found' | 'invalid-state';

/** A coded webhook error; each edge translates the code (invalid-input 422, not-found 404, invalid-state 409). */
export class WebhookException extends Error {
  constructor(
    readonly code: WebhookExceptionCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'WebhookException';
  }
}
