/** A cursor page as Herald's list operations answer it. */
export interface CursorPage<Item> {
  data: Item[];
  nextCursor?: string | null;
}

/** Every item of a cursor-paginated list, page by page (`maxPages` bounds the walk); see the README. */
export async function* paginate<Item>(
  fetchPage: (cursor: string | undefined) => Promise<{ data?: CursorPage<Item>; response: Response }>,
  maxPages = Number.POSITIVE_INFINITY,
): AsyncGenerator<Item> {
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const { data } = await fetchPage(cursor);
    if (!data) return;
    yield* data.data;
    if (!data.nextCursor) return;
    cursor = data.nextCursor;
  }
}

/** All items of `paginate` in one array. */
export async function collect<Item>(items: AsyncIterable<Item>): Promise<Item[]> {
  const all: Item[] = [];
  for await (const item of items) all.push(item);
  return all;
}
