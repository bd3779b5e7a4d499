import twilio from 'twilio';

export interface QueueWait {
  holdMusicUrl?: string;
  holdMessage?: string;
  /** Seconds the caller has waited: Twilio posts it to the wait URL as `QueueTime`. */
  queueTimeSeconds: number;
  timeoutSeconds: number;
}

/**
 * The hold page Twilio plays to a waiting caller (served at the enqueue's wait URL; Twilio fetches it again
 * each time it ends). Past the timeout it answers `<Leave/>`, which resumes the queue node with `timeout`.
 */
export function renderQueueWaitTwiml(wait: QueueWait): string {
  const response = new twilio.twiml.VoiceResponse();
  if (wait.queueTimeSeconds >= wait.timeoutSeconds) {
    response.leave();
    return response.toString();
  }
  if (wait.holdMessage) response.say({}, wait.holdMessage);
  if (wait.holdMusicUrl) response.play({}, wait.holdMusicUrl);
  else response.pause({ length: 10 });
  return response.toString();
}
