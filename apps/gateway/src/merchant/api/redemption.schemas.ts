import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorDetail } from '../../openapi/error-body.schema';

// The shapes `redemption-request.ts` and `redemption-response.ts` take and answer, for the OpenAPI document only.

export class RedemptionRequestBody {
  @ApiProperty({ description: 'The serial as the customer shows it, dashes optional', example: '7KQ4M-2XD9P-HT3QR' }) serial: string;
  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'number' }], description: 'The order amount, e.g. "12.50"', example: '12.50' })
  orderAmount?: string | number;
  @ApiPropertyOptional({ description: 'Makes a retried request answer as the first did (1 to 200 printable characters, no spaces); or the Idempotency-Key header' })
  idempotencyKey?: string;
}

class PromotionRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

class MerchantRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class RedeemedAnswer {
  @ApiProperty({ enum: ['redeemed'] }) outcome: string;
  @ApiProperty({ description: 'True when this answers a repeated request (same idempotency key)' }) replayed: boolean;
  @ApiProperty({ example: '7KQ4M-2XD9P-HT3QR' }) serial: string;
  @ApiProperty({ format: 'date-time' }) redeemedAt: string;
  @ApiProperty({ type: 'string', nullable: true }) orderAmount: string | null;
  @ApiProperty({ description: 'The offer as the promotion shows it' }) offer: string;
  @ApiProperty({ description: 'The discount as shown, e.g. "20%"' }) discount: string;
  @ApiProperty({ type: () => PromotionRef }) promotion: PromotionRef;
}

export class RefusedRedemption {
  @ApiProperty({ enum: ['already-redeemed', 'expired', 'unknown', 'malformed', 'check-failed'] }) outcome: string;
  @ApiProperty() replayed: boolean;
  @ApiPropertyOptional({ format: 'date-time', description: 'already-redeemed: when' }) redeemedAt?: string;
  @ApiPropertyOptional({ type: () => MerchantRef, description: 'already-redeemed: where' }) merchant?: MerchantRef;
  @ApiPropertyOptional({ format: 'date-time', description: 'expired: when' }) expiredAt?: string;
  @ApiProperty({ type: () => ErrorDetail }) error: ErrorDetail;
}

export class SlowedRedemption {
  @ApiProperty({ enum: ['slowed'] }) outcome: string;
  @ApiProperty({ type: 'integer' }) retryAfterSeconds: number;
  @ApiProperty({ type: () => ErrorDetail }) error: ErrorDetail;
}
