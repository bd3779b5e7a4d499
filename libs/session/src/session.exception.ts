export type SessionExceptionCode = 'not-found' | 'precondition-failed' | 'invalid-input' | 'too-large' | 'conflict';

/** A coded error of the live-call session; each edge maps the code (REST: 404, 412, 422, 413, 409). */
export class SessionException extends Error {
  constructor(
    readonly code: SessionExceptionCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'SessionException';
  }
}
