/** The seed pull-queue flow's shape: a CRM lookup sets the priority, agents are bridged from the tenant's number, else voicemail. */
export function pullQueueFlow(crmUrl: string, timeoutSeconds = 120) {
  return {
    schemaVersion: 1,
    name: 'Support queue',
    start: 'lookup',
    nodes: {
      lookup: {
        type: 'http', method: 'GET', url: `${crmUrl}/customers?phone={{ system.caller | url_encode }}`,
        extract: { tier: '$.customer.tier' }, next: { success: 'queue', failure: 'queue', timeout: 'queue' },
      },
      queue: {
        type: 'queue', queue: 'support', priority: "{% if vars.tier == 'vip' %}10{% else %}1{% endif %}",
        holdMessage: 'Thanks for holding.', timeoutSeconds,
        next: { answered: 'agent', voicemail: 'voicemail', timeout: 'voicemail' },
      },
      agent: {
        type: 'dial', number: '{{ nodes.queue.agent }}', callerId: '{{ system.called }}',
        next: { completed: 'end', 'no-answer': 'voicemail', busy: 'voicemail', failed: 'voicemail' },
      },
      voicemail: {
        type: 'voicemail', prompts: [{ kind: 'say', text: 'Please leave a message after the tone.' }], maxLengthSeconds: 60,
        next: { recorded: 'thanks', 'no-input': 'end' },
      },
      thanks: { type: 'say', text: 'Thank you, we will call you back.', next: 'end' },
      end: { type: 'hangup' },
    },
  };
}
