/** Twilio's paging envelope for a list that fits on one page. */
export function listPage(
  key: string,
  path: string,
  items: Record<string, unknown>[],
  pageSize: number,
): Record<string, unknown> {
  const shown = items.slice(0, pageSize);
  const uri = `${path}?PageSize=${pageSize}&Page=0`;
  return {
    [key]: shown,
    end: Math.max(0, shown.length - 1),
    first_page_uri: uri,
    next_page_uri: null,
    page: 0,
    page_size: pageSize,
    previous_page_uri: null,
    start: 0,
    uri,
  };
}
