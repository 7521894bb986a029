// Sub-paths under the app proxy (/apps/{subpath}/anything) answer as the proxy root does.
export { GET, POST } from "../route";
