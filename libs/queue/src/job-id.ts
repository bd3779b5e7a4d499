/** Thrown for a job id BullMQ would reject or misread. */
export class JobIdError extends Error {
  override name = 'JobIdError';
}

const PART = /^[A-Za-z0-9_.-]+$/;

/**
 * A deterministic job id from its parts, joined with `_`: the same parts always give the same id, so
 * adding a job twice adds it once. BullMQ forbids `:` and all-digit ids; the first part names the kind.
 */
export function jobId(kind: string, ...parts: Array<string | number>): string {
  for (const part of [kind, ...parts]) {
    const text = String(part);
    if (!PART.test(text)) throw new JobIdError(`job id part "${text}" of ${kind} may hold only letters, digits, ".", "-" and "_"`);
  }
  if (/^\d+$/.test(kind)) throw new JobIdError(`job id kind "${kind}" may not be all digits`);
  return [kind, ...parts].join('_');
}
