export type TenancyExceptionCode = 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'invalid-input';

/** A coded domain error; each edge translates the code (GraphQL extensions.code, HTTP status). */
export class TenancyException extends Error {
  constructor(
    readonly code: TenancyExceptionCode,
    message: string,
    /** The input field at fault, for invalid-input and conflict. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'TenancyException';
  }
}
