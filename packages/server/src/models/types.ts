/** A scalar column's type, as the filter language sees it. `id` is a string primary key. */
export type ScalarKind = "id" | "string" | "number" | "boolean" | "dateTime" | "json";

/** A column holding one of a closed set of strings (a Prisma enum). */
export interface EnumKind {
  readonly enum: readonly string[];
}

export type FieldKind = ScalarKind | EnumKind;

/** A scalar column and how callers may use it. */
export interface FieldSpec {
  readonly kind: FieldKind;
  /**
   * Whether filters may use the field. Default: `readable`: a filter on a field callers cannot
   * read would read it out (`startsWith`, a character at a time).
   */
  readonly filterable?: boolean;
  /**
   * Whether `sort` may use the field. Default: `readable`, except for `json` (Prisma cannot sort
   * JSON): an order reveals what it sorts by.
   */
  readonly sortable?: boolean;
  /** Whether `select` may return the field. Default: true. */
  readonly readable?: boolean;
  /** Whether creates and updates may set the field. Default: true, except `id`, `createdAt`, `updatedAt`. */
  readonly writable?: boolean;
  /** Whether the column may hold NULL. Default: false. */
  readonly nullable?: boolean;
  /**
   * `number` only: the column is a Prisma `Int`, so filter values must be integers in its 32-bit
   * range (Prisma rejects a fraction for an `Int` at query time). Default: false.
   */
  readonly integer?: boolean;
}

/** A to-one relation through a foreign key on this model, e.g. a message's `chat`. */
export interface BelongsToSpec {
  readonly relation: "belongsTo";
  /** The related model's key in the registry. */
  readonly model: string;
  /** The scalar field on this model holding the related id; it must be declared in `fields`. */
  readonly foreignKey: string;
  /** Whether filters may use the relation. Default: true. */
  readonly filterable?: boolean;
  /** Whether `select` may return the related record. Default: true. */
  readonly readable?: boolean;
}

/** A to-many relation whose foreign key is on the related model, e.g. a chat's `messages`. */
export interface HasManySpec {
  readonly relation: "hasMany";
  /** The related model's key in the registry. */
  readonly model: string;
  /** Whether filters may use the relation. Default: true. */
  readonly filterable?: boolean;
}

export type RelationSpec = BelongsToSpec | HasManySpec;

/** A model: its Prisma model name and its fields. Plain data, checked once by `defineModels`. */
export interface ModelSpec {
  /** The Prisma model name, e.g. `Chat`. */
  readonly name: string;
  readonly fields: Readonly<Record<string, FieldSpec | RelationSpec>>;
}

/** Every model, keyed by its api name (`chat`, `message`); relations refer to these keys. */
export type ModelRegistry = Readonly<Record<string, ModelSpec>>;

/** Why a filter, sort, page or selection was refused; the HTTP layer answers it as a 400. */
export interface TranslateFailure {
  ok: false;
  /** Where the refused value sits in the request, e.g. `filter.OR[1].chat.title.startsWith`. */
  path: string;
  message: string;
}

/** The outcome of a translation: `{ ok: true, ...value }` or a {@link TranslateFailure}. */
export type TranslateResult<T> = ({ ok: true } & T) | TranslateFailure;

/** A Prisma `where` object. */
export type PrismaWhere = Record<string, unknown>;

export type SortDirection = "asc" | "desc";

/** A Prisma `orderBy` list: one single-field object per entry. */
export type PrismaOrderBy = Array<Record<string, SortDirection>>;
