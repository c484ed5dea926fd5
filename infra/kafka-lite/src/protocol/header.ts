// Request header v1 and response header v0 — the only header versions used by the
// non-flexible API versions we implement.
//
// Request => size (INT32) request_header body
//   request_header (v1) => api_key (INT16) api_version (INT16) correlation_id (INT32)
//     client_id (NULLABLE_STRING)
// Response => size (INT32) correlation_id (INT32) body

import type { Reader } from './reader';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/** Reads the fixed part of every request header; flexible headers differ only after it. */
export function readHeaderPrefix(frame: Buffer): Omit<RequestHeader, 'clientId'> | null {
  if (frame.length < 8) return null;
  return {
    apiKey: frame.readInt16BE(0),
    apiVersion: frame.readInt16BE(2),
    correlationId: frame.readInt32BE(4),
  };
}

export function readRequestHeader(r: Reader): RequestHeader {
  return {
    apiKey: r.int16(),
    apiVersion: r.int16(),
    correlationId: r.int32(),
    clientId: r.nullableString(),
  };
}
