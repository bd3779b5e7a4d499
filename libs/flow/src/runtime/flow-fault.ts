/** Why a step could not go on; answered with the tenant's fallback. */
export class FlowFault extends Error {
  constructor(
    readonly nodeId: string | null,
    readonly reason: string,
  ) {
    super(nodeId ? `node '${nodeId}': ${reason}` : reason);
    this.name = 'FlowFault';
  }
}
