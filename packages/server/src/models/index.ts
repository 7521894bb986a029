export { defineModels } from "./define-models.js";
export { type EvaluateFilterOptions, evaluateFilter } from "./evaluate-filter.js";
export { type TranslateFilterOptions, translateFilter } from "./translate-filter.js";
export {
  type PageInfo,
  type PageRequest,
  type PaginationArguments,
  type PrismaPageQuery,
  pageInfo,
  type TranslatePaginationOptions,
  translatePagination,
} from "./translate-pagination.js";
export { type PrismaSelect, type TranslateSelectOptions, translateSelect } from "./translate-select.js";
export { translateSort } from "./translate-sort.js";
export type {
  BelongsToSpec,
  EnumKind,
  FieldKind,
  FieldSpec,
  HasManySpec,
  ModelRegistry,
  ModelSpec,
  PrismaOrderBy,
  PrismaWhere,
  RelationSpec,
  ScalarKind,
  SortDirection,
  TranslateFailure,
  TranslateResult,
} from "./types.js";
