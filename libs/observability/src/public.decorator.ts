import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'ringflow:public';

/** Marks a route that needs no API key (health probes, Twilio webhooks that carry their own signature). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
