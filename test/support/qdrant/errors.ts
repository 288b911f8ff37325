/**
 * Errors the stand-in answers with, shaped as Qdrant shapes them: an HTTP status and the text Qdrant puts in
 * `status.error` (collection/src/operations/types.rs `CollectionError` → actix status mapping).
 */
export class QdrantHttpError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
    /** Extra response headers (e.g. Retry-After on 429). */
    readonly headers: Record<string, string> = {},
    /** Answered as the bare text, without Qdrant's JSON envelope or a content type (the API-key check's 401s). */
    readonly plainText = false,
  ) {
    super(message);
  }
}

/** 404 "Not found: Collection `name` doesn't exist!" */
export const collectionNotFound = (name: string) => new QdrantHttpError(404, `Not found: Collection \`${name}\` doesn't exist!`);

/** 400 "Wrong input: ..." (CollectionError::BadInput). */
export const badInput = (message: string) => new QdrantHttpError(400, `Wrong input: ${message}`);

/** 400 "Bad request: ..." (CollectionError::BadRequest). */
export const badRequest = (message: string) => new QdrantHttpError(400, `Bad request: ${message}`);

/** 400 "Format error in JSON body: ..." (actix JSON deserialisation failure, as Qdrant formats it). */
export const formatError = (message: string) => new QdrantHttpError(400, `Format error in JSON body: ${message}`);

/** 422 "Validation error in JSON body: ..." (a request that deserialised but failed `validator` checks). */
export const validationError = (message: string) => new QdrantHttpError(422, `Validation error in JSON body: [${message}]`);

/** 404 "Not found: No point with id N found" */
export const pointNotFound = (id: string) => new QdrantHttpError(404, `Not found: No point with id ${id} found`);
