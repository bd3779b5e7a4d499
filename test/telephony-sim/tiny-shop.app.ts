import type { TelephonyCredentials, TelephonyPort } from '@ringflow/telephony';
import type { RecordedWebhook } from '../../apps/telephony-sim/src/testing/webhook-recorder';

export const SHOP_NUMBER = '+15550500001';
export const AGENT = '+15550577777';

/**
 * A tiny IVR web app for the scenario tests (deliberately not Ringflow's gateway): a menu,
 * a coupon by SMS through the SDK, a queue whose agent accepts by SMS, and a push call.
 */
export function tinyShop(telephony: TelephonyPort, creds: () => TelephonyCredentials, appUrl: () => string) {
  let serial = 100;
  const waiting: string[] = [];
  const coupon = (to: string) => telephony.sendSms(creds(), { to, from: SHOP_NUMBER, body: `Your coupon TINY-${serial++}` });
  return async (req: RecordedWebhook) => {
    const p = req.params;
    switch (req.path) {
      case '/voice':
        return `<Response><Gather numDigits="1" action="/menu"><Say>Welcome to Tiny Shop.</Say><Say>Press 1 for a coupon.</Say><Say>Press 2 for an agent.</Say></Gather><Say>Goodbye</Say></Response>`;
      case '/menu':
        if (p.Digits === '1') {
          await coupon(p.Direction === 'inbound' ? p.From : p.To);
          return '<Response><Say>Your coupon is on its way.</Say></Response>';
        }
        waiting.push(p.CallSid);
        await telephony.sendSms(creds(), { to: AGENT, from: SHOP_NUMBER, body: `Caller ${p.From} is waiting. Reply YES to take it.` });
        return '<Response><Enqueue waitUrl="/hold">agents</Enqueue></Response>';
      case '/hold':
        return '<Response><Say>All our agents are busy.</Say><Play>https://example.com/hold.mp3</Play></Response>';
      case '/sms':
        if (p.Body === 'YES' && waiting.length) {
          await telephony.dequeueMember(creds(), 'agents', waiting.shift() ?? '', `${appUrl()}/bridge`);
          return '<Response><Message>Connecting you.</Message></Response>';
        }
        return '<Response><Message>We are open 9 to 5.</Message></Response>';
      case '/bridge':
        return `<Response><Say>Connecting you to our agent.</Say><Dial>${AGENT}</Dial></Response>`;
      case '/trigger': {
        const { to } = JSON.parse(req.body) as { to: string };
        await telephony.placeCall(creds(), { to, from: SHOP_NUMBER, url: `${appUrl()}/push` });
        return { status: 202, contentType: 'application/json', body: '{"queued":true}' };
      }
      case '/push':
        return '<Response><Gather numDigits="1" action="/menu"><Say>This week only: press 1 for a coupon.</Say></Gather></Response>';
      default:
        return { status: 404, body: 'not found' };
    }
  };
}
