// Types computed from a model registry, so that a wrong field name in a filter, sort, selection or
// write is a compile error. The registry is declared with `defineModels` (a `const` type parameter
// keeps its literal kinds), and `CheckModels` holds it against the Prisma client's own row types.
import type { ModelRegistry } from "./types.js";

/** A JSON value, as `json` fields hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

type Fields<Registry extends ModelRegistry, Name extends keyof Registry> = Registry[Name]["fields"];

type KindValue<Kind, DateType> = Kind extends "id" | "string"
  ? string
  : Kind extends "number"
    ? number
    : Kind extends "boolean"
      ? boolean
      : Kind extends "dateTime"
        ? DateType
        : Kind extends "json"
          ? JsonValue
          : Kind extends { enum: readonly (infer Value)[] }
            ? Value
            : never;

type FieldValue<Spec, DateType = Date> = Spec extends { kind: infer Kind }
  ? Spec extends { nullable: true }
    ? KindValue<Kind, DateType> | null
    : KindValue<Kind, DateType>
  : never;

type ScalarKeys<F> = { [K in keyof F]: F[K] extends { kind: unknown } ? K : never }[keyof F] & string;
type ReadableKeys<F> = {
  [K in keyof F]: F[K] extends { kind: unknown } ? (F[K] extends { readable: false } ? never : K) : never;
}[keyof F] &
  string;
// A field callers cannot read is filtered and sorted on only when declared so, as at run time.
type FilterableKeys<F> = {
  [K in keyof F]: F[K] extends { filterable: false }
    ? never
    : F[K] extends { readable: false }
      ? F[K] extends { filterable: true }
        ? K
        : never
      : K;
}[keyof F] &
  string;
type SortableKeys<F> = {
  [K in keyof F]: F[K] extends { kind: infer Kind }
    ? F[K] extends { sortable: false }
      ? never
      : F[K] extends { readable: false }
        ? F[K] extends { sortable: true }
          ? K
          : never
        : Kind extends "json"
          ? never
          : K
    : never;
}[keyof F] &
  string;
type WritableKeys<F> = {
  [K in keyof F]: F[K] extends { kind: infer Kind }
    ? F[K] extends { writable: false }
      ? never
      : F[K] extends { writable: true }
        ? K
        : Kind extends "id"
          ? never
          : K extends "createdAt" | "updatedAt"
            ? never
            : K
    : never;
}[keyof F] &
  string;
type BelongsToKeys<F> = { [K in keyof F]: F[K] extends { relation: "belongsTo" } ? K : never }[keyof F] &
  string;
type RelatedName<Spec> = Spec extends { model: infer Name extends string } ? Name : never;
type ForeignKeyOf<Spec> = Spec extends { foreignKey: infer Key extends string } ? Key : never;

/**
 * A record of model `Name` as the server reads it: every readable scalar field. `DateType` is `Date`
 * on the server and `string` over JSON.
 */
export type RecordOf<Registry extends ModelRegistry, Name extends keyof Registry, DateType = Date> = {
  [K in ReadableKeys<Fields<Registry, Name>>]: FieldValue<Fields<Registry, Name>[K], DateType>;
};

type ScalarOperators<Value> = {
  equals?: Value | null;
  notEquals?: Value | null;
  in?: readonly Value[];
  notIn?: readonly Value[];
  isSet?: boolean;
} & (Value extends string | number | Date
  ? { lessThan?: Value; lessThanOrEqual?: Value; greaterThan?: Value; greaterThanOrEqual?: Value }
  : unknown) &
  (Value extends string ? { startsWith?: string } : unknown);

type FieldFilter<Spec> = Spec extends { kind: "json" }
  ? { isSet?: boolean }
  : Spec extends { kind: "dateTime" }
    ? ScalarOperators<Date | string>
    : ScalarOperators<Exclude<FieldValue<Spec>, null>>;

/** Gadget's filter language for model `Name`: fields, relations, and AND / OR / NOT. */
export type FilterOf<Registry extends ModelRegistry, Name extends keyof Registry> = {
  [K in FilterableKeys<Fields<Registry, Name>>]?: Fields<Registry, Name>[K] extends { relation: "belongsTo" }
    ? ScalarOperators<string> & FilterOf<Registry, RelatedName<Fields<Registry, Name>[K]>>
    : Fields<Registry, Name>[K] extends { relation: "hasMany" }
      ? {
          some?: FilterOf<Registry, RelatedName<Fields<Registry, Name>[K]>>;
          every?: FilterOf<Registry, RelatedName<Fields<Registry, Name>[K]>>;
          none?: FilterOf<Registry, RelatedName<Fields<Registry, Name>[K]>>;
        }
      : FieldFilter<Fields<Registry, Name>[K]>;
} & {
  AND?: FilterOf<Registry, Name> | readonly FilterOf<Registry, Name>[];
  OR?: readonly FilterOf<Registry, Name>[];
  NOT?: FilterOf<Registry, Name> | readonly FilterOf<Registry, Name>[];
};

type SortEntry<Registry extends ModelRegistry, Name extends keyof Registry> = {
  [K in SortableKeys<Fields<Registry, Name>>]?: "Ascending" | "Descending";
};

/** Gadget's sort for model `Name`: one object, or a list of them, first key first. */
export type SortOf<Registry extends ModelRegistry, Name extends keyof Registry> =
  | SortEntry<Registry, Name>
  | readonly SortEntry<Registry, Name>[];

/** Gadget's selection for model `Name`: readable fields, and related records through `belongsTo`. */
export type SelectOf<Registry extends ModelRegistry, Name extends keyof Registry> = {
  [K in ReadableKeys<Fields<Registry, Name>>]?: boolean;
} & {
  [K in BelongsToKeys<Fields<Registry, Name>>]?:
    | boolean
    | SelectOf<Registry, RelatedName<Fields<Registry, Name>[K]>>;
};

/**
 * The fields a create or update may set: writable fields (every scalar field for the trusted
 * internal api), and `belongsTo` relations as `{ _link: id }`.
 */
export type WriteOf<
  Registry extends ModelRegistry,
  Name extends keyof Registry,
  DateType = Date,
  IsTrusted extends boolean = false,
> = {
  [K in IsTrusted extends true
    ? ScalarKeys<Fields<Registry, Name>>
    : WritableKeys<Fields<Registry, Name>>]?: FieldValue<Fields<Registry, Name>[K], DateType | string>;
} & {
  [K in BelongsToKeys<Fields<Registry, Name>>]?: {
    _link: ForeignKeyOf<Fields<Registry, Name>[K]> extends keyof Fields<Registry, Name>
      ? FieldValue<Fields<Registry, Name>[ForeignKeyOf<Fields<Registry, Name>[K]>]>
      : string;
  };
};

/**
 * The record a selection returns: the selected scalar fields (always with the id), and related
 * records narrowed the same way, or null when there is none or the caller may not read it.
 */
export type SelectedRecord<
  Registry extends ModelRegistry,
  Name extends keyof Registry,
  Select,
  DateType = Date,
> = [Select] extends [undefined]
  ? RecordOf<Registry, Name, DateType>
  : {
      [K in keyof Select & keyof Fields<Registry, Name> as Select[K] extends false | undefined
        ? never
        : K]: Fields<Registry, Name>[K] extends { relation: "belongsTo" }
        ? SelectedRecord<
            Registry,
            RelatedName<Fields<Registry, Name>[K]>,
            Select[K] extends true ? undefined : Select[K],
            DateType
          > | null
        : FieldValue<Fields<Registry, Name>[K], DateType>;
    } & { [K in IdKey<Fields<Registry, Name>>]: string };

type IdKey<F> = { [K in keyof F]: F[K] extends { kind: "id" } ? K : never }[keyof F];

/** Paging arguments: `first`/`after` forwards, `last`/`before` backwards. */
export interface PageArguments {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

/** Options of `findMany` for model `Name`. */
export interface FindManyOptions<Registry extends ModelRegistry, Name extends keyof Registry, Select>
  extends PageArguments {
  filter?: FilterOf<Registry, Name>;
  sort?: SortOf<Registry, Name>;
  select?: Select;
}

/** The wire types of each model, as `@sprocket/react`'s `createApiClient<ApiSchemaOf<typeof models>>()` takes them. */
export type ApiSchemaOf<Registry extends ModelRegistry> = {
  [Name in keyof Registry & string]: {
    record: RecordOf<Registry, Name, string>;
    filter: FilterOf<Registry, Name>;
    sort: SortOf<Registry, Name>;
    select: SelectOf<Registry, Name>;
    create: WriteOf<Registry, Name, string>;
    update: WriteOf<Registry, Name, string>;
  };
};

/**
 * `true` when every model's fields exist on the matching Prisma row type with a compatible value
 * type; otherwise the names of the models and fields that do not. Use it in the app so the registry
 * cannot drift from `schema.prisma`:
 *
 * @example
 * const check: CheckModels<typeof models, { chat: Chat; message: Message }> = true;
 */
export type CheckModels<Registry extends ModelRegistry, Rows extends { [Name in keyof Registry]: object }> = [
  MismatchedFields<Registry, Rows>,
] extends [never]
  ? true
  : { mismatched: MismatchedFields<Registry, Rows> };

type MismatchedFields<Registry extends ModelRegistry, Rows extends { [Name in keyof Registry]: object }> = {
  [Name in keyof Registry & string]: {
    [K in ScalarKeys<Fields<Registry, Name>>]: K extends keyof Rows[Name]
      ? [FieldValue<Fields<Registry, Name>[K]>] extends [Rows[Name][K]]
        ? [Rows[Name][K]] extends [
            FieldValue<Fields<Registry, Name>[K]> | JsonLike<Fields<Registry, Name>[K]>,
          ]
          ? never
          : `${Name}.${K}`
        : `${Name}.${K}`
      : `${Name}.${K}`;
  }[ScalarKeys<Fields<Registry, Name>>];
}[keyof Registry & string];

// Prisma types JSON columns as its own JsonValue, which is wider than ours; any value passes there.
type JsonLike<Spec> = Spec extends { kind: "json" } ? unknown : never;
