import { ValidationError } from "../../errors.js";

/** A validated list request: page (from 1), page size and one sort field. */
export interface PageRequest<F extends string> {
  page: number;
  pageSize: number;
  sort: { field: F; direction: "asc" | "desc" };
}

export const MAX_PAGE_SIZE = 500;

/** Parses `page`, `pageSize` and `sort=field:asc|desc`, allowing only the given sort fields. */
export function parsePageRequest<F extends string>(
  query: { page?: number; pageSize?: number; sort?: string },
  fields: readonly F[],
  fallback: PageRequest<F>["sort"],
): PageRequest<F> {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 50;
  if (!Number.isInteger(page) || page < 1) throw new ValidationError("page must be a whole number from 1.");
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new ValidationError(`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
  }
  let sort = fallback;
  if (query.sort !== undefined) {
    const [field, direction = "asc"] = query.sort.split(":");
    if (!(fields as readonly string[]).includes(field!) || (direction !== "asc" && direction !== "desc")) {
      throw new ValidationError(`sort must be one of ${fields.join(", ")} followed by :asc or :desc.`);
    }
    sort = { field: field as F, direction };
  }
  return { page, pageSize, sort };
}

/** JSON schema of `page`, `pageSize` and `sort`, for a list route's querystring. */
export const PAGING_QUERY = {
  page: { type: "integer", minimum: 1, default: 1 },
  pageSize: { type: "integer", minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 },
  sort: { type: "string", description: "field:asc|desc" },
} as const;

/** JSON schema of a list route's answer: one page of `items` and the paging figures. */
export function pageSchema(items: object) {
  return {
    type: "object",
    properties: {
      items: { type: "array", items },
      total: { type: "integer" },
      page: { type: "integer" },
      pageSize: { type: "integer" },
    },
    required: ["items", "total", "page", "pageSize"],
  } as const;
}
