/** Now, injectable: calling windows are checked against it, so tests can be at 07:59 anywhere. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** Injection token for the Clock the campaign services use. */
export const CAMPAIGN_CLOCK = Symbol('CAMPAIGN_CLOCK');
