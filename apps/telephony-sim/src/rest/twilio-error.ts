/** An error the simulator answers the way Twilio's REST API does: `{code, message, more_info, status}`. */
export class TwilioError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }

  toBody(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      more_info: `https://www.twilio.com/docs/errors/${this.code}`,
      status: this.status,
    };
  }

  static notFound(path: string): TwilioError {
    return new TwilioError(404, 20404, `The requested resource ${path} was not found`);
  }

  static authenticate(): TwilioError {
    return new TwilioError(401, 20003, 'Authenticate');
  }

  static tooManyRequests(what: 'calls' | 'messages'): TwilioError {
    return new TwilioError(429, 20429, `Too Many Requests: the account's ${what}-per-second limit was exceeded`);
  }

  static missing(param: string, code = 21201): TwilioError {
    return new TwilioError(400, code, `Required parameter "${param}" missing.`);
  }

  static invalidTo(to: string): TwilioError {
    return new TwilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
  }
}
