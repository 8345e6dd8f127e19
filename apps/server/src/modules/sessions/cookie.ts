import type { FastifyReply, FastifyRequest } from "fastify";

// Over HTTPS the cookie is `__Host-` prefixed: the browser then insists on Secure, Path=/ and no
// Domain, so no sibling sub-domain can plant or read it. Over plain HTTP (a laptop demo) browsers
// refuse Secure cookies, hence a plain name there.
const SECURE_NAME = "__Host-vigie_session";
const PLAIN_NAME = "vigie_session";

const isHttps = (request: FastifyRequest) => request.protocol === "https";

/** The session token sent by the browser, if any (only the `__Host-` cookie counts over HTTPS). */
export function readSessionToken(request: FastifyRequest): string | undefined {
  return request.cookies[isHttps(request) ? SECURE_NAME : PLAIN_NAME] || undefined;
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS; it lasts as long as the browser. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(isHttps(request) ? SECURE_NAME : PLAIN_NAME, token, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: isHttps(request),
  });
}

/** Removes the session cookie from the browser. */
export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(isHttps(request) ? SECURE_NAME : PLAIN_NAME, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: isHttps(request),
  });
}

/** Name and value of a session cookie for a plain-HTTP request (tests, CLI tools). */
export function sessionCookieHeader(token: string): string {
  return `${PLAIN_NAME}=${token}`;
}
