/** Relay's paging arguments: which page of a list a component shows. */
export interface Page {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

/**
 * The paging arguments of a query from `nextPage()` or `previousPage()`, which also repeat its
 * filter and sort: the component keeps those in its own options.
 *
 * @example
 * setPage(pageOf(chats.nextPage())); // { first: 20, after: "..." }
 */
export function pageOf({ first, after, last, before }: Page): Page {
  return { first, after, last, before };
}
