import { Liquid } from 'liquidjs';
import type { PromotionEntity } from '../promotion/promotion.entity';
import { formatSerial } from './serial';

/** The template a promotion gets when its marketer writes none. */
export const DEFAULT_COUPON_SMS_TEMPLATE = '{{ offer }} ({{ discount }}). Your code: {{ serial }}. Valid until {{ expires_on }}.';

// No file system (`templates: {}`), so {% include %} and {% render %} cannot read files; bounded work per render.
const liquid = new Liquid({
  templates: {},
  strictFilters: true,
  strictVariables: true,
  ownPropertyOnly: true,
  parseLimit: 10_000,
  renderLimit: 100,
  memoryLimit: 1_000_000,
});

export interface CouponSmsValues {
  serial: string;
  expiresAt: Date;
}

function scope(promotion: Pick<PromotionEntity, 'name' | 'offer' | 'discount'>, values: CouponSmsValues, timeZone: string) {
  return {
    serial: formatSerial(values.serial),
    offer: promotion.offer,
    discount: promotion.discount,
    promotion: promotion.name,
    // en-CA writes dates as YYYY-MM-DD.
    expires_on: new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(values.expiresAt),
  };
}

/**
 * The coupon SMS text from the promotion's Liquid template. Variables: serial (grouped, `7KQ4M-2XD9P-HT3QR`),
 * offer, discount, promotion (its name), expires_on (YYYY-MM-DD in `timeZone`). Sending is the SMS worker's job.
 */
export function renderCouponSms(
  promotion: Pick<PromotionEntity, 'name' | 'offer' | 'discount' | 'smsTemplate'>,
  coupon: CouponSmsValues,
  timeZone = 'UTC',
): string {
  return liquid.parseAndRenderSync(promotion.smsTemplate, scope(promotion, coupon, timeZone)).trim();
}

/** Why a coupon SMS template cannot be used (it does not parse, uses an unknown variable or filter, or never shows the serial), or null. */
export function couponSmsTemplateProblem(template: string): string | null {
  const sample = { serial: '0'.repeat(15), expiresAt: new Date() };
  let text: string;
  try {
    text = renderCouponSms({ name: 'n', offer: 'o', discount: 'd', smsTemplate: template }, sample);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (!text.includes(formatSerial(sample.serial))) return 'the template must show the coupon code: add {{ serial }}';
  return null;
}
