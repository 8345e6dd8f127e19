export * from "./analytics.js";
export * from "./incidents.js";
export * from "./ingest.js";
export * from "./step-event.js";
