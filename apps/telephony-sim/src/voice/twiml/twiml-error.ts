/** TwiML Twilio would refuse, with Twilio's error code (12100 not XML, 12200 not TwiML) and the reason. */
export class TwimlError extends Error {
  constructor(
    readonly code: 12100 | 12200 | 12300,
    message: string,
  ) {
    super(message);
  }
}
