import { Liquid } from 'liquidjs';

/** Appended to every SMS campaign message whose template does not already tell how to opt out. */
export const SMS_OPT_OUT_WORDING = 'Reply STOP to opt out';

// No file system, bounded work per render; an unknown variable renders empty (a contact without a name).
const liquid = new Liquid({ templates: {}, strictFilters: true, ownPropertyOnly: true, parseLimit: 10_000, renderLimit: 100, memoryLimit: 1_000_000 });

export interface SmsCampaignContact {
  name: string | null;
  /** The contact's free-form attributes (flat). */
  attributes?: Record<string, unknown>;
}

/** True when the template already mentions STOP (any case, as a word): no wording is appended. */
export function mentionsStop(template: string): boolean {
  return /\bstop\b/i.test(template);
}

/**
 * The text one contact receives: the Liquid template over the contact (`name`, `attributes.<name>`, also as
 * `contact.name` / `contact.attributes.<name>`; unknown ones render empty), then the opt-out wording.
 */
export function renderSmsCampaignMessage(template: string, contact: SmsCampaignContact): string {
  const attributes = contact.attributes ?? {};
  const values = { name: contact.name ?? '', attributes, contact: { name: contact.name ?? '', attributes } };
  const text = liquid.parseAndRenderSync(template, values).trim();
  return mentionsStop(template) ? text : `${text}\n${SMS_OPT_OUT_WORDING}`;
}

/** Why a template cannot be used (empty, too long, or does not parse), or null. */
export function smsCampaignTemplateProblem(template: string): string | null {
  if (!template.trim()) return 'the template is empty';
  if (template.length > 1600) return 'the template may hold at most 1600 characters';
  try {
    renderSmsCampaignMessage(template, { name: 'Sample' });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return null;
}
