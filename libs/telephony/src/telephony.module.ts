import { Module } from '@nestjs/common';
import { TwilioTelephonyAdapter } from './twilio/twilio-telephony.adapter';

/** Injection token for the TelephonyPort. */
export const TELEPHONY_PORT = Symbol('TELEPHONY_PORT');

/** Provides TELEPHONY_PORT on the twilio SDK, pointed at `TWILIO_API_BASE_URL` when it is set. */
@Module({
  providers: [{ provide: TELEPHONY_PORT, useFactory: () => TwilioTelephonyAdapter.fromEnv() }],
  exports: [TELEPHONY_PORT],
})
export class TelephonyModule {}
