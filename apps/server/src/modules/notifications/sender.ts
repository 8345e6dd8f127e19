import nodemailer, { type Transporter } from "nodemailer";
import { OutboundBlockedError } from "../../errors.js";
import { createOutboundGuard, type OutboundGuard } from "../../net/outbound-guard.js";
import type { Outgoing } from "./channels.js";

/** How one attempt ended: delivered, worth retrying, or hopeless. */
export interface SendResult {
  outcome: "delivered" | "retry" | "failed";
  httpStatus: number | null;
  error: string | null;
  /** Server's Retry-After, in ms, when it gave one. */
  retryAfterMs?: number;
}

/** Sends what channels format; one instance per process (it keeps connections open). */
export interface Sender {
  send(outgoing: Outgoing): Promise<SendResult>;
  close(): Promise<void>;
}

/** Options of the sender; defaults are those of `alerting.delivery` and `alerting.smtp`. */
export interface SenderOptions {
  timeoutMs: number;
  /** Where `log` channels write [nowhere]. */
  log?: { warn(obj: object, msg: string): void };
  /** Internal addresses webhooks may reach (tests, on-premises receivers). */
  allowAddresses: string[];
  smtp: { host: string; port: number; secure: boolean; user?: string; password?: string; from: string };
}

/**
 * HTTP status → what to do: 2xx delivered; 408, 429 and 5xx retried; any other 4xx is a mistake
 * that repeating will not fix (wrong URL, revoked token), so it is not retried.
 */
export function classifyStatus(status: number): SendResult["outcome"] {
  if (status >= 200 && status < 300) return "delivered";
  if (status === 408 || status === 429 || status >= 500) return "retry";
  return "failed";
}

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Creates the sender: every webhook goes through the outbound guard; e-mail through nodemailer. */
export function createSender(options: SenderOptions): Sender {
  const guard: OutboundGuard = createOutboundGuard({
    allow: options.allowAddresses,
    connectTimeoutMs: options.timeoutMs,
  });
  let mailer: Transporter | null = null;
  const mail = () => {
    mailer ??= nodemailer.createTransport({
      host: options.smtp.host,
      port: options.smtp.port,
      secure: options.smtp.secure,
      auth: options.smtp.user ? { user: options.smtp.user, pass: options.smtp.password ?? "" } : undefined,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
    });
    return mailer;
  };

  async function sendHttp(outgoing: Extract<Outgoing, { transport: "http" }>): Promise<SendResult> {
    try {
      const response = await guard.fetch(outgoing.url, {
        method: "POST",
        headers: outgoing.headers,
        body: outgoing.body,
        redirect: "manual",
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await response.text().catch(() => "");
      const outcome = classifyStatus(response.status);
      return {
        outcome,
        httpStatus: response.status,
        error: outcome === "delivered" ? null : `HTTP ${response.status} ${text.slice(0, 200)}`.trim(),
        retryAfterMs: retryAfter(response.headers.get("retry-after")),
      };
    } catch (error) {
      if (error instanceof OutboundBlockedError)
        return { outcome: "failed", httpStatus: null, error: error.message };
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const name = (error as Error).name;
      const message =
        name === "TimeoutError"
          ? `no answer within ${options.timeoutMs} ms`
          : (cause?.code ?? cause?.message ?? (error as Error).message);
      return { outcome: "retry", httpStatus: null, error: message };
    }
  }

  async function sendEmail(outgoing: Extract<Outgoing, { transport: "email" }>): Promise<SendResult> {
    try {
      await mail().sendMail({
        from: options.smtp.from,
        to: outgoing.to,
        subject: outgoing.subject,
        text: outgoing.text,
        html: outgoing.html,
        headers: outgoing.headers,
      });
      return { outcome: "delivered", httpStatus: null, error: null };
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // 5xx SMTP replies are permanent (unknown mailbox, refused sender); 4xx and network errors are not
      const outcome = code !== undefined && code >= 500 ? "failed" : "retry";
      return { outcome, httpStatus: null, error: (error as Error).message.slice(0, 300) };
    }
  }

  return {
    async send(outgoing) {
      if (outgoing.transport === "http") return sendHttp(outgoing);
      if (outgoing.transport === "email") return sendEmail(outgoing);
      // warn: the level a default installation shows
      options.log?.warn(outgoing.fields, `alert: ${outgoing.title}`);
      return { outcome: "delivered", httpStatus: null, error: null };
    },
    async close() {
      mailer?.close();
      await guard.close();
    },
  };
}
