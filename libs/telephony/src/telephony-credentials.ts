/** A tenant's Twilio account: every telephony call is made with these, never with global ones. */
export interface TelephonyCredentials {
  accountSid: string;
  authToken: string;
}
