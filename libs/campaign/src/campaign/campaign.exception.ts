export enum CampaignExceptionCode {
  InvalidInput = 'invalid-input',
  NotFound = 'not-found',
  /** The campaign's lifecycle does not allow this action now (e.g. pausing a draft). */
  InvalidTransition = 'invalid-transition',
}

/** A coded campaign error; each edge translates the code. `field` names the input at fault. */
export class CampaignException extends Error {
  constructor(
    readonly code: CampaignExceptionCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CampaignException';
  }
}
