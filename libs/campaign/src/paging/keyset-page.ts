import { CampaignException, CampaignExceptionCode } from '../campaign/campaign.exception';

/** One page of a list, newest first: `first` items after the item whose key is `after`. */
export interface PageRequest {
  first?: number | null;
  /** The key of the last item of the previous page (an id, a call SID, a phone). */
  after?: string | null;
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;

/** The page size asked for, checked; one more row is read to know whether another page follows. */
export function pageSize(request: PageRequest): number {
  const first = request.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new CampaignException(CampaignExceptionCode.InvalidInput, `first must be a whole number from 1 to ${MAX_PAGE_SIZE}, not ${first}`, 'first');
  }
  return first;
}

/** Rows read with `LIMIT size + 1` as a page. */
export function pageOf<T>(rows: T[], size: number): Page<T> {
  return { items: rows.slice(0, size), hasNextPage: rows.length > size };
}
