import { ApiProperty } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';

// The shapes `session-view.ts` answers, for the OpenAPI document only (nothing validates against them).

export class FlowRef {
  @ApiProperty({ format: 'uuid', nullable: true }) id: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) version: number | null;
}

export class ActiveCall {
  @ApiProperty({ pattern: '^CA[0-9a-f]{32}$', example: 'CA0123456789abcdef0123456789abcdef' }) callSid: string;
  @ApiProperty({ enum: ['inbound', 'outbound'] }) direction: string;
  @ApiProperty({ description: 'The caller (E.164)' }) caller: string;
  @ApiProperty({ description: 'The number called (E.164)' }) called: string;
  @ApiProperty({ type: () => FlowRef }) flow: FlowRef;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'The node waiting for the caller (or for Twilio); null between steps or once ended' })
  awaiting: string | null;
}

export class ActiveCallList {
  @ApiProperty({ type: () => [ActiveCall] }) calls: ActiveCall[];
}

const variablesSchema: { type: 'object'; additionalProperties: SchemaObject } = {
  type: 'object',
  additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }], nullable: true },
};

export class CallSessionView extends ActiveCall {
  @ApiProperty({ enum: ['active', 'ended'] }) status: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) endedAt: string | null;
  @ApiProperty({ type: [String], description: 'Node ids entered, oldest first (the last 50)' }) path: string[];
  @ApiProperty({ ...variablesSchema, description: 'The flow variables as the next step will see them; sensitive digits are never shown' })
  variables: Record<string, string | number | boolean | null>;
  @ApiProperty({ type: [String], description: 'Names set from outside that the flow will see at its next step' }) pendingVariables: string[];
  @ApiProperty({ type: 'integer', description: 'The session version; the ETag header carries it quoted' }) version: number;
}

export class PatchSessionBody {
  @ApiProperty({
    ...variablesSchema,
    description: 'Merged into `vars.*` at the next step: at most 50 names (a letter or _ then letters, digits, _; up to 64), text up to 4096 characters, 32 kB in all',
    example: { verified: true, tier: 'gold' },
  })
  variables: Record<string, string | number | boolean | null>;
}
