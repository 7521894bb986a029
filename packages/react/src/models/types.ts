/**
 * What the app's schema says about one model. Structural, so the server's `ApiSchemaOf<typeof models>`
 * fits without this package importing the server at runtime.
 */
export interface ModelTypes {
  record: object;
  filter: object;
  sort: object;
  select: object;
  create: object;
  update: object;
}

/** Every model of an app, by api name (`chat`, `message`). */
export type ApiSchema = Record<string, ModelTypes>;

/** Where a page sits in the full result (Relay's page info, as the server answers it). */
export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** The cursor of the first row, or null for an empty page. */
  startCursor: string | null;
  /** The cursor of the last row, or null for an empty page. */
  endCursor: string | null;
}

/** One sort object (`{ createdAt: "Descending" }`) or a list of them, first key first. */
export type SortOption<Types extends ModelTypes> = Types["sort"] | readonly Types["sort"][];

/** A query of many records: Gadget's filter, sort and select, and Relay's paging arguments. */
export interface FindManyQuery<Types extends ModelTypes> {
  filter?: Types["filter"];
  sort?: SortOption<Types>;
  /** The fields to return; the id always comes back. Default: every readable scalar field. */
  select?: Types["select"];
  /** Rows after the cursor `after` (or from the start). */
  first?: number;
  after?: string;
  /** Rows before the cursor `before` (or from the end). */
  last?: number;
  before?: string;
}

/** A query of the first record matching a filter, in a sort order. */
export interface FindFirstQuery<Types extends ModelTypes> {
  filter?: Types["filter"];
  sort?: SortOption<Types>;
  select?: Types["select"];
}

/** A query of one record by id. */
export interface FindOneQuery<Types extends ModelTypes> {
  select?: Types["select"];
}

/** The `select` of an options object, or undefined when it has none. */
export type SelectOf<Options> = Options extends { select: infer Select } ? Select : undefined;

/**
 * `Row` narrowed to the fields `Select` asks for, plus the id, which always comes back. Without a
 * selection, the whole `Row`. Related records keep their full type.
 */
export type SelectedRecord<Row, Select> = Select extends object
  ? {
      [Key in keyof Row as Key extends "id"
        ? Key
        : Key extends keyof Select
          ? Select[Key] extends false | undefined
            ? never
            : Key
          : never]: Row[Key];
    }
  : Row;

/**
 * One page of records: an array of rows that also carries its {@link PageInfo} and the queries of
 * its neighbouring pages. `nextPage()` and `previousPage()` send nothing: they return the query of
 * the page after (or before) this one, to put into a hook's options or pass to `manager.findMany`,
 * so the page a component shows stays in its state and in SWR's cache like any other query. They
 * throw when there is no such page; check `hasNextPage` (or `hasPreviousPage`) first.
 */
export type RecordList<Row, Query> = Row[] &
  Readonly<PageInfo> & {
    /** The query of the next page: the same filter, sort, select and page size, after `endCursor`. */
    nextPage(): Query;
    /** The query of the previous page: the same filter, sort, select and page size, before `startCursor`. */
    previousPage(): Query;
  };
