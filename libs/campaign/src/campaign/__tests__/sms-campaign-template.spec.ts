import { renderSmsCampaignMessage, smsCampaignTemplateProblem } from '../sms-campaign-template';

describe('SMS campaign templates', () => {
  it('renders the contact and appends the opt-out wording', () => {
    expect(renderSmsCampaignMessage('Hi {{ name }}, your {{ attributes.tier }} offer is in store.', { name: 'Ann', attributes: { tier: 'gold' } })).toBe(
      'Hi Ann, your gold offer is in store.\nReply STOP to opt out',
    );
  });

  it('appends nothing when the template already says STOP, and renders an unknown name empty', () => {
    expect(renderSmsCampaignMessage('Sale today{% if name != "" %}, {{ name }}{% endif %}. Text stop to end.', { name: null })).toBe('Sale today. Text stop to end.');
  });

  it('names what is wrong with a template', () => {
    expect(smsCampaignTemplateProblem('  ')).toBe('the template is empty');
    expect(smsCampaignTemplateProblem('Hi {{ name | nosuchfilter }}')).toMatch(/nosuchfilter/);
    expect(smsCampaignTemplateProblem('Hi {{ name }}')).toBeNull();
  });
});
