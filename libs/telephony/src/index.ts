export type { TelephonyCredentials } from './telephony-credentials';
export * from './telephony.port';
export { TelephonyException, TelephonyExceptionCode } from './telephony.exception';
export { TwilioTelephonyAdapter } from './twilio/twilio-telephony.adapter';
export { TwilioClientCache, type TwilioClientOptions } from './twilio/twilio-client-cache';
export { RedirectingRequestClient, ORIGINAL_HOST_HEADER } from './twilio/redirecting-request-client';
export { mapTwilioError } from './twilio/map-twilio-error';
export { TelephonyModule, TELEPHONY_PORT } from './telephony.module';
