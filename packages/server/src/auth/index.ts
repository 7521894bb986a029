export { identify } from "./identify.js";
export { type Identity, type IdentitySource, UNAUTHENTICATED } from "./identity.js";
export { type SessionAuth, type SessionLookup, SIGNED_IN_ROLE, sessionIdentity } from "./session-identity.js";
