import { CampaignException, nextCampaignStatus, statusesAllowing, type CampaignAction, type CampaignStatus } from '@ringflow/campaign';

describe('campaign lifecycle', () => {
  it('walks draft -> scheduled -> running <-> paused -> completed', () => {
    let s: CampaignStatus = 'draft';
    for (const [action, expected] of [
      ['schedule', 'scheduled'],
      ['launch', 'running'],
      ['pause', 'paused'],
      ['resume', 'running'],
      ['complete', 'completed'],
    ] as Array<[CampaignAction, CampaignStatus]>) {
      s = nextCampaignStatus(s, action);
      expect(s).toBe(expected);
    }
  });

  it('launches a draft at once and cancels anything not finished', () => {
    expect(nextCampaignStatus('draft', 'launch')).toBe('running');
    for (const from of ['draft', 'scheduled', 'running', 'paused'] as CampaignStatus[]) expect(nextCampaignStatus(from, 'cancel')).toBe('cancelled');
  });

  it.each([
    ['draft', 'pause'],
    ['paused', 'pause'],
    ['running', 'resume'],
    ['completed', 'cancel'],
    ['cancelled', 'resume'],
    ['paused', 'complete'],
    ['running', 'launch'],
  ] as Array<[CampaignStatus, CampaignAction]>)('refuses to %s -> %s with a coded error', (from, action) => {
    expect(() => nextCampaignStatus(from, action)).toThrow(CampaignException);
    expect(() => nextCampaignStatus(from, action)).toThrow(`cannot ${action} a ${from} campaign`);
  });

  it('lists where each action may start from', () => {
    expect(statusesAllowing('resume')).toEqual(['paused']);
    expect(statusesAllowing('launch').sort()).toEqual(['draft', 'scheduled']);
  });
});
