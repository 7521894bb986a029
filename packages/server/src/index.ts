export { HttpError, type HttpErrorCode, type HttpErrorOptions, isHttpError } from "./errors/http-error.js";
export { type WithRequestLogOptions, withRequestLog } from "./logger/request-log.js";
export {
  type DeferredResponse,
  type DeferredResponseContext,
  isDeferredResponse,
  toDeferredResponse,
} from "./route/deferred-response.js";
export { route } from "./route/route.js";
export type {
  ContextProvider,
  CorsOptions,
  CorsOrigin,
  HeaderValue,
  OnRequestHook,
  ProvidedContext,
  Register,
  Reply,
  RouteApi,
  RouteConnections,
  RouteContext,
  RouteFactory,
  RouteHandler,
  RouteOptions,
  RouteParams,
  RouteRequest,
  RouteSchema,
  RouteSegmentContext,
  SharedRouteOptions,
  WebRouteHandler,
} from "./route/types.js";
export type { ValidationIssue } from "./route/validate.js";
