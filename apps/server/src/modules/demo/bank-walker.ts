import { type StepKey, stepPath } from "@vigie/demo-bank";
import { FORM_STEPS, type ProspectPlan } from "./prospect-plan.js";

/** How a simulated prospect's visit ended. */
export type WalkOutcome =
  | "opened"
  | "abandoned"
  | "rejected"
  | "failed"
  | "turned-away"
  | "bank-down"
  | "stopped";

export interface WalkResult {
  prospectId?: string;
  outcome: WalkOutcome;
  /** Last step reached. */
  step: StepKey;
}

/** What a walk needs. */
export interface WalkOptions {
  bankUrl: string;
  /** Waits `ms`; resolves false when the simulator is stopping. */
  wait: (ms: number) => Promise<boolean>;
  /** Multiplies think times. */
  thinkTimeScale: number;
  fetch?: typeof fetch;
}

const PDF = new Uint8Array(Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"));
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);

/**
 * Walks one simulated prospect through the demo bank's real pages (JSON flavour), following the
 * plan: think, submit, give up, retry after an error, as a person would.
 */
export async function walkProspect(plan: ProspectPlan, options: WalkOptions): Promise<WalkResult> {
  const doFetch = options.fetch ?? fetch;
  const call = async (method: "GET" | "POST", path: string, body?: unknown) => {
    const init: RequestInit = {
      method,
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(30_000),
    };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] = "application/json";
    }
    try {
      const response = await doFetch(`${options.bankUrl}${path}`, init);
      const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      return { status: response.status, json };
    } catch {
      return { status: 0, json: {} };
    }
  };
  const think = (ms: number) => options.wait(Math.round(ms * options.thinkTimeScale));

  const home = await call("GET", "/");
  if (home.status !== 200) return { outcome: "bank-down", step: "landing" };
  if (home.json.startAvailable === false) return { outcome: "turned-away", step: "landing" };
  if (!(await think(plan.thinkMs.landing))) return { outcome: "stopped", step: "landing" };
  const started = await call("POST", "/ouverture");
  if (started.status !== 201) {
    return { outcome: started.status === 500 ? "failed" : "bank-down", step: "landing" };
  }
  const prospectId = String(started.json.prospectId);

  for (const step of [...FORM_STEPS, "account-opened"] as StepKey[]) {
    if (!(await think(1000))) return { prospectId, outcome: "stopped", step };
    const page = await call("GET", stepPath(prospectId, step));
    if (step === "account-opened") {
      if (page.status === 200) return { prospectId, outcome: "opened", step };
      if (page.status === 500 && plan.retriesOnError && (await think(20_000))) {
        const again = await call("GET", stepPath(prospectId, step));
        if (again.status === 200) return { prospectId, outcome: "opened", step };
      }
      return { prospectId, outcome: "failed", step };
    }
    if (page.status !== 200)
      return { prospectId, outcome: page.status === 503 ? "bank-down" : "failed", step };
    if (plan.abandonAt === step) return { prospectId, outcome: "abandoned", step };
    if (!(await think(plan.thinkMs[step]))) return { prospectId, outcome: "stopped", step };
    const submit = () => call("POST", stepPath(prospectId, step), formOf(plan, step, page.json));
    let answer = await submit();
    if (answer.status === 500 && plan.retriesOnError) {
      if (!(await think(20_000))) return { prospectId, outcome: "stopped", step };
      answer = await submit();
    }
    if (answer.status === 422) return { prospectId, outcome: "rejected", step };
    if (answer.status !== 200) {
      return { prospectId, outcome: answer.status === 503 ? "bank-down" : "failed", step };
    }
  }
  return { prospectId, outcome: "opened", step: "account-opened" };
}

/** The body a prospect submits at a step. */
function formOf(plan: ProspectPlan, step: StepKey, page: Record<string, unknown>): unknown {
  switch (step) {
    case "identity":
      return plan.identity;
    case "contact":
      return { ...plan.contact, rappel: plan.contact.rappel ? "on" : "" };
    case "offer":
      return { offre: plan.offer.offre, revenus: String(plan.offer.revenus) };
    case "documents": {
      const form = new FormData();
      form.append("pieceIdentite", new Blob([PDF], { type: "application/pdf" }), "piece-identite.pdf");
      form.append("justificatifDomicile", new Blob([JPEG], { type: "image/jpeg" }), "justificatif.jpg");
      return form;
    }
    case "signature":
      return { accepteConditions: "on", code: String(page.otp ?? "") };
    default:
      return {};
  }
}
