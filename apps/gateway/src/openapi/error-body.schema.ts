import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** For the OpenAPI document only: every error of the REST routes. */
export class ErrorDetail {
  @ApiProperty({ description: 'Stable machine-readable code, e.g. not-found, precondition-failed, invalid-input', example: 'not-found' })
  code: string;

  @ApiProperty({ description: 'What went wrong, for a person', example: 'call CA0123... not found' })
  message: string;

  @ApiPropertyOptional({ description: 'The field, header or parameter at fault', example: 'callSid' })
  field?: string;
}

export class ErrorBody {
  @ApiProperty({ type: () => ErrorDetail })
  error: ErrorDetail;
}
