export interface DigitsResult {
  digits: string;
  outcome: 'keys' | 'timeout' | 'finish-key' | 'num-digits';
  /** The finish key that ended input, if one did. */
  finishedOnKey: string;
}

/**
 * What `<Gather>` collects from the keys a caller presses: input stops at the finish key
 * (which is not part of the digits) or once numDigits keys are in; otherwise at the timeout.
 */
export function collectDigits(pressed: string, opts: { numDigits?: number; finishOnKey: string }): DigitsResult {
  let digits = '';
  for (const key of pressed) {
    if (opts.finishOnKey && key === opts.finishOnKey) return { digits, outcome: 'finish-key', finishedOnKey: key };
    digits += key;
    if (opts.numDigits !== undefined && digits.length >= opts.numDigits) {
      return { digits, outcome: 'num-digits', finishedOnKey: '' };
    }
  }
  return { digits, outcome: 'timeout', finishedOnKey: '' };
}
