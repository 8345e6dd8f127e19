// One free-port helper for the tests and the benches.
export { freePort } from "../../apps/server/test/ports.js";
