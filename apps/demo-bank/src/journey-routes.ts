import { performance } from "node:perf_hooks";
import type { RunHandle } from "@vigie/sdk";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { FaultRegistry } from "./faults.js";
import {
  ageOn,
  documentType,
  type FieldError,
  parseContact,
  parseIdentity,
  parseOffer,
  parseSignature,
} from "./forms.js";
import { nextStep, OFFERS, REJECTION_CODES, STEPS, type StepKey, stepPath } from "./journey.js";
import { landingPage, layout, openedPage, rejectedPage, stepPage } from "./pages.js";
import { sendProblem } from "./problems.js";
import { newIban, type ProspectRecord, type ProspectStore } from "./prospects.js";

/** What the journey's pages need from the bank. */
export interface BankContext {
  prospects: ProspectStore;
  faults: FaultRegistry;
  now: () => Date;
  /** The SDK run of a prospect (run id = prospect id). */
  journey: (record: ProspectRecord) => RunHandle;
  sleep: (ms: number) => Promise<unknown>;
}

const wantsJson = (request: FastifyRequest) => (request.headers.accept ?? "").includes("application/json");
const html = (reply: FastifyReply, status: number, page: string) =>
  reply.code(status).type("text/html; charset=utf-8").send(page);

type Outcome =
  | { kind: "ok" }
  | { kind: "invalid"; errors: FieldError[]; values: Record<string, unknown> }
  | { kind: "rejected"; code: string; message: string };

/** Reads the documents step's multipart body: two files, recognised by their first bytes. */
async function readDocuments(
  request: FastifyRequest,
): Promise<{ errors: FieldError[]; documents: NonNullable<ProspectRecord["documents"]> }> {
  const errors: FieldError[] = [];
  const documents: NonNullable<ProspectRecord["documents"]> = [];
  if (!request.isMultipart()) {
    return { errors: [{ field: "pieceIdentite", reason: "Envoi multipart/form-data attendu." }], documents };
  }
  try {
    for await (const part of request.parts()) {
      if (part.type !== "file") continue;
      const content = await part.toBuffer();
      if (!["pieceIdentite", "justificatifDomicile"].includes(part.fieldname)) continue;
      const type = documentType(content);
      if (content.length === 0) errors.push({ field: part.fieldname, reason: "Le fichier est vide." });
      else if (!type) errors.push({ field: part.fieldname, reason: "Format accepté : PDF, JPEG ou PNG." });
      else
        documents.push({
          field: part.fieldname,
          filename: part.filename,
          mimetype: type,
          bytes: content.length,
        });
    }
  } catch (error) {
    const tooLarge = (error as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE";
    errors.push({
      field: "pieceIdentite",
      reason: tooLarge ? "Fichier trop volumineux (5 Mo au plus)." : "Envoi illisible.",
    });
  }
  for (const field of ["pieceIdentite", "justificatifDomicile"]) {
    if (!documents.some((d) => d.field === field) && !errors.some((e) => e.field === field)) {
      errors.push({ field, reason: "Ce document est obligatoire." });
    }
  }
  return { errors, documents };
}

/** Checks the submitted form of `step` and applies it to the record (business rules included). */
async function submit(
  step: StepKey,
  record: ProspectRecord,
  request: FastifyRequest,
  now: Date,
): Promise<Outcome> {
  const body = (request.isMultipart() ? {} : (request.body ?? {})) as Record<string, unknown>;
  if (step === "identity") {
    const parsed = parseIdentity(body, now);
    if (parsed.errors) return { kind: "invalid", errors: parsed.errors, values: body };
    record.identity = parsed.value;
    if (ageOn(parsed.value.dateNaissance, now) < 18) {
      return {
        kind: "rejected",
        code: REJECTION_CODES.underage,
        message: "L'ouverture d'un compte courant en ligne est réservée aux personnes majeures.",
      };
    }
  } else if (step === "contact") {
    const parsed = parseContact(body);
    if (parsed.errors) return { kind: "invalid", errors: parsed.errors, values: body };
    record.contact = parsed.value;
  } else if (step === "offer") {
    const parsed = parseOffer(body);
    if (parsed.errors) return { kind: "invalid", errors: parsed.errors, values: body };
    record.offer = parsed.value;
    if (parsed.value.revenus < OFFERS[parsed.value.offre].minIncome) {
      return {
        kind: "rejected",
        code: REJECTION_CODES.income,
        message: `Le ${OFFERS[parsed.value.offre].name} demande des revenus nets d'au moins ${OFFERS[parsed.value.offre].minIncome} € par mois.`,
      };
    }
  } else if (step === "documents") {
    const { errors, documents } = await readDocuments(request);
    if (errors.length > 0) return { kind: "invalid", errors, values: {} };
    record.documents = documents;
  } else if (step === "signature") {
    const parsed = parseSignature(body, record.otp);
    if (parsed.errors) return { kind: "invalid", errors: parsed.errors, values: {} };
  }
  return { kind: "ok" };
}

/** The subscription's pages: landing, each step's form, account opened. */
export async function journeyRoutes(app: FastifyInstance, opts: { context: BankContext }) {
  const { prospects, faults, now, journey, sleep } = opts.context;

  const markStarted = (record: ProspectRecord, step: StepKey, run: RunHandle) => {
    if (record.started.includes(step)) return;
    record.started.push(step);
    run.step(step).start();
  };

  /** Finds the prospect and checks that `step` is theirs to do now; answers otherwise. */
  const locate = (request: FastifyRequest<{ Params: { id: string; page: string } }>, reply: FastifyReply) => {
    const step = STEPS.find((s) => s.path === request.params.page && s.path !== "")?.key;
    const record = prospects.get(request.params.id);
    if (!step || !record) {
      if (wantsJson(request))
        return void sendProblem(request, reply, 404, "not_found", "Dossier introuvable.");
      return void html(reply, 404, layout("Dossier introuvable", "error", "<h1>Dossier introuvable</h1>"));
    }
    if (record.status === "rejected") {
      if (wantsJson(request)) {
        return void sendProblem(request, reply, 409, "application_closed", "Cette demande n'a pas abouti.");
      }
      return void html(reply, 409, rejectedPage(record, record.step, "Cette demande n'a pas abouti."));
    }
    if (record.step !== step) {
      if (wantsJson(request)) {
        return void sendProblem(
          request,
          reply,
          409,
          "step_out_of_order",
          `Étape attendue : ${record.step}.`,
          {
            expected: record.step,
            next: stepPath(record.id, record.step),
          },
        );
      }
      return void reply.redirect(stepPath(record.id, record.step), 303);
    }
    return { step, record };
  };

  app.get("/", async (request, reply) => {
    const startAvailable = !faults.effectOn("landing").underExposed;
    if (wantsJson(request)) return { startAvailable };
    return html(reply, 200, landingPage(startAvailable));
  });

  app.post("/ouverture", async (request, reply) => {
    const began = performance.now();
    const effect = faults.effectOn("landing");
    const synthetic = /^(1|true|yes)$/i.test(String(request.headers["x-vigie-synthetic"] ?? ""));
    const probeHeader = request.headers["x-vigie-probe"];
    const probe = typeof probeHeader === "string" && probeHeader ? probeHeader.slice(0, 100) : null;
    const record = prospects.create({ synthetic, probe });
    const run = journey(record);
    const landing = run.step("landing").start();
    if (effect.delayMs) await sleep(effect.delayMs);
    const durationMs = Math.round(performance.now() - began);
    if (effect.errorCode) {
      landing.error(effect.errorCode, "Landing failed (injected fault)", { durationMs });
      prospects.delete(record.id);
      return sendProblem(request, reply, 500, effect.errorCode, "Erreur technique (panne injectée).");
    }
    landing.ok({ durationMs });
    const next = stepPath(record.id, "identity");
    if (wantsJson(request))
      return reply.code(201).send({ prospectId: record.id, step: "landing", outcome: "ok", next });
    return reply.redirect(next, 303);
  });

  app.get<{ Params: { id: string; page: string } }>("/ouverture/:id/:page", async (request, reply) => {
    const found = locate(request, reply);
    if (!found) return reply;
    const { step, record } = found;
    const run = journey(record);
    if (step !== "account-opened") {
      markStarted(record, step, run);
      if (wantsJson(request)) {
        return {
          prospectId: record.id,
          step,
          status: record.status,
          ...(step === "signature" ? { otp: record.otp } : {}),
        };
      }
      return html(reply, 200, stepPage(record, step));
    }
    if (record.status !== "opened") {
      // the account is opened by the back end when its confirmation page is asked for
      const began = performance.now();
      markStarted(record, step, run);
      const effect = faults.effectOn(step);
      if (effect.delayMs) await sleep(effect.delayMs);
      const durationMs = Math.round(performance.now() - began);
      if (effect.errorCode) {
        run.step(step).error(effect.errorCode, "Account opening failed (injected fault)", { durationMs });
        return sendProblem(request, reply, 500, effect.errorCode, "Erreur technique (panne injectée).");
      }
      record.iban = newIban();
      record.status = "opened";
      prospects.touch(record);
      run.step(step).ok({ durationMs });
    }
    if (wantsJson(request)) return { prospectId: record.id, step, status: record.status, iban: record.iban };
    return html(reply, 200, openedPage(record));
  });

  app.post<{ Params: { id: string; page: string } }>("/ouverture/:id/:page", async (request, reply) => {
    const found = locate(request, reply);
    if (!found) return reply;
    const { step, record } = found;
    if (step === "account-opened") {
      return sendProblem(request, reply, 405, "method_not_allowed", "Cette page se consulte (GET).");
    }
    const began = performance.now();
    const run = journey(record);
    markStarted(record, step, run);
    const outcome = await submit(step, record, request, now());
    if (outcome.kind === "invalid") {
      // the prospect corrects the form: not an outcome of the step
      if (wantsJson(request)) {
        return sendProblem(request, reply, 400, "invalid_fields", "Certains champs sont invalides.", {
          errors: outcome.errors,
        });
      }
      return html(reply, 400, stepPage(record, step, outcome.values, outcome.errors));
    }
    const effect = faults.effectOn(step);
    if (effect.delayMs) await sleep(effect.delayMs);
    const durationMs = Math.round(performance.now() - began);
    if (effect.errorCode) {
      run.step(step).error(effect.errorCode, `${step} failed (injected fault)`, { durationMs });
      return sendProblem(request, reply, 500, effect.errorCode, "Erreur technique (panne injectée).");
    }
    prospects.touch(record);
    if (outcome.kind === "rejected") {
      record.status = "rejected";
      run.step(step).rejected(outcome.code, { message: outcome.message, durationMs });
      if (wantsJson(request))
        return reply.code(422).send({ prospectId: record.id, step, outcome: "rejected", code: outcome.code });
      return html(reply, 422, rejectedPage(record, step, outcome.message));
    }
    if (step === "contact" && record.contact && record.identity) {
      run.prospect({
        firstName: record.identity.prenom,
        lastName: record.identity.nom,
        email: record.contact.email,
        phone: record.contact.telephone,
        consentToCall: record.contact.rappel,
      });
    }
    // the product is known from the offer step on: the SDK run is rebuilt with it
    (step === "offer" ? journey(record) : run).step(step).ok({ durationMs });
    record.step = nextStep(step)!;
    const next = stepPath(record.id, record.step);
    if (wantsJson(request)) return { prospectId: record.id, step, outcome: "ok", next };
    return reply.redirect(next, 303);
  });
}
