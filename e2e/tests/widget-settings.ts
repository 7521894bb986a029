// What the end-to-end server is started with for the chat widget spec: the host pages' origins and
// the token secret. Not secrets: test values. Two origins from one port: a browser tells
// `localhost` and `127.0.0.1` apart, so one small server plays an allowed and a refused host.

/** The port of the host pages' server: next to the demo's and its stand-ins (E2E_PORT+4). */
export const widgetHostPort = (baseURL: string) => Number(new URL(baseURL).port) + 4;

/** The host page origin the demo allows (WIDGET_ALLOWED_ORIGINS). */
export const allowedHostOrigin = (baseURL: string) => `http://localhost:${widgetHostPort(baseURL)}`;

/** The same server under another origin, which the demo does not allow. */
export const refusedHostOrigin = (baseURL: string) => `http://127.0.0.1:${widgetHostPort(baseURL)}`;

/** Signs the widget's tokens on the e2e server (WIDGET_TOKEN_SECRET). */
export const WIDGET_TOKEN_SECRET = "e2e-widget-token-secret-0123456789abcdef";
