export { withDirectStreaming } from "./direct-streaming.js";
