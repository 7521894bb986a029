export {
  createModelApi,
  type ModelApi,
  type ModelApiFactory,
  type ModelApiOptions,
  type ModelManager,
  type ModelManagers,
} from "./create-model-api.js";
export { defineModels } from "./define-models.js";
export {
  definePermissions,
  type Grant,
  MODEL_ACTIONS,
  type ModelAction,
  type PermissionIdentity,
  type Permissions,
  type RolePermissions,
} from "./define-permissions.js";
export { type EvaluateFilterOptions, evaluateFilter } from "./evaluate-filter.js";
export {
  createMemoryFeed,
  createPostgresFeed,
  type LiveChange,
  type LiveFeed,
  type PgClientLike,
  type PostgresFeedOptions,
} from "./live-feed.js";
export type { ModelChange, PrismaClientLike } from "./model-manager.js";
export type {
  ApiSchemaOf,
  CheckModels,
  FilterOf,
  FindManyOptions,
  JsonValue,
  PageArguments,
  RecordOf,
  SelectedRecord,
  SelectOf,
  SortOf,
  WriteOf,
} from "./model-types.js";
export type { RecordList } from "./record-list.js";
export { type ModelHandlers, type ServeModelsOptions, serveModels } from "./serve-models.js";
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
