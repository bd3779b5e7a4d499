import { QueryFailedError } from 'typeorm';

/** The Postgres error code and constraint of a failed query, when it is one. */
export function databaseError(error: unknown): { code?: string; constraint?: string } {
  if (!(error instanceof QueryFailedError)) return {};
  const driver = error.driverError as { code?: string; constraint?: string };
  return { code: driver.code, constraint: driver.constraint };
}
