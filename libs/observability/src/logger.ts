import { ClsServiceManager } from 'nestjs-cls';
import pino, { type DestinationStream, type Logger } from 'pino';

/** Request-scoped fields every log line carries when they are known (set in async context). */
export const LOG_CONTEXT_FIELDS = ['requestId', 'tenantId', 'callSid'] as const;

/** Paths pino blanks out wherever they appear: credentials and sensitive digits never reach a log. */
export const REDACTED_PATHS = [
  'authorization',
  'password',
  'authToken',
  'apiKey',
  'token',
  'secret',
  'cardNumber',
  'pin',
  'digits',
  'Digits',
  '*.authorization',
  '*.password',
  '*.authToken',
  '*.apiKey',
  '*.token',
  '*.secret',
  '*.cardNumber',
  '*.pin',
  '*.digits',
  '*.Digits',
  'headers.authorization',
  'headers["x-twilio-signature"]',
  'req.headers.authorization',
  'req.headers.cookie',
];

function contextFields(): Record<string, unknown> {
  const cls = ClsServiceManager.getClsService();
  if (!cls.isActive()) return {};
  const fields: Record<string, unknown> = {};
  for (const name of LOG_CONTEXT_FIELDS) {
    const value = cls.get(name);
    if (value !== undefined) fields[name] = value;
  }
  return fields;
}

/** The JSON logger of one app: `app` on every line, request/tenant/call ids from async context. */
export function createLogger(app: string, level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      mixin: contextFields,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
