export * from "./analytics.js";
export * from "./ingest.js";
export * from "./step-event.js";
