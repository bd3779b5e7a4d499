import type { Flow, FlowError } from '@ringflow/flow';
import type { TenantId } from '@ringflow/tenancy';

/** A flow as an admin sees it: the draft being edited and the latest published version, if any. */
export interface FlowSummary {
  tenantId: TenantId;
  id: string;
  name: string;
  draft: unknown;
  latestVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One immutable published version, validated, as calls run it. */
export interface PublishedFlow {
  tenantId: TenantId;
  flowId: string;
  version: number;
  flow: Flow;
  publishedAt: Date;
}

/** A save either succeeds or lists every problem, with nothing written. */
export type FlowSaveResult<T> = { ok: true; value: T } | { ok: false; errors: FlowError[] };
