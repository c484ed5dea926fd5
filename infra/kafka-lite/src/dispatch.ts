// Routes a request frame to its codec and handler and encodes the answer.
//
// Unsupported input is answered the way the protocol expects:
// - ApiVersions above our range: a v0-format answer with UNSUPPORTED_VERSION (35) and
//   our ranges, so the client can retry with a version we support (KIP-511);
// - another known API at a version we do not implement: the correlation id and error
//   code 35 (clients negotiate versions first, so only a misbehaving one gets here);
// - an unknown API key or a malformed body: ProtocolError, and the server closes that
//   connection (what Kafka does, since the body cannot be understood).

import type { BrokerCore, Handler } from './core';
import { apiVersionsCodec, type ApiVersionRange } from './protocol/api-versions.v0-2';
import type { Codec } from './protocol/codec';
import { ErrorCode, ProtocolError } from './protocol/errors';
import { readHeaderPrefix, readRequestHeader, type RequestHeader } from './protocol/header';
import { createReader } from './protocol/reader';
import { createWriter } from './protocol/writer';
import { fetchCodec } from './protocol/fetch.v4-11';
import { produceCodec } from './protocol/produce.v3-8';
import { listOffsetsCodec } from './protocol/list-offsets.v0-5';
import { metadataCodec } from './protocol/metadata.v0-8';
import { offsetCommitCodec } from './protocol/offset-commit.v0-7';
import { offsetFetchCodec } from './protocol/offset-fetch.v0-5';
import { findCoordinatorCodec } from './protocol/find-coordinator.v0-2';
import { joinGroupCodec } from './protocol/join-group.v0-5';
import { heartbeatCodec } from './protocol/heartbeat.v0-3';
import { leaveGroupCodec } from './protocol/leave-group.v0-3';
import { syncGroupCodec } from './protocol/sync-group.v0-3';
import { describeGroupsCodec } from './protocol/describe-groups.v0-4';
import { listGroupsCodec } from './protocol/list-groups.v0-2';
import { createTopicsCodec } from './protocol/create-topics.v0-4';
import { deleteTopicsCodec } from './protocol/delete-topics.v0-3';
import { initProducerIdCodec } from './protocol/init-producer-id.v0-1';
import { fetchHandler } from './handlers/fetch';
import { initProducerIdHandler, produceHandler } from './handlers/produce';
import { findCoordinatorHandler, metadataHandler } from './handlers/cluster';
import { createTopicsHandler, deleteTopicsHandler, listOffsetsHandler } from './handlers/admin';
import {
  describeGroupsHandler,
  heartbeatHandler,
  joinGroupHandler,
  leaveGroupHandler,
  listGroupsHandler,
  offsetCommitHandler,
  offsetFetchHandler,
  syncGroupHandler,
} from './handlers/groups';

/** Response frame chunks (size prefix included), or null when no response is due. */
export type Dispatch = (
  frame: Buffer,
  clientHost: string,
) => Buffer[] | null | Promise<Buffer[] | null>;

const CODECS = new Map<number, Codec<unknown, unknown>>(
  [
    produceCodec,
    fetchCodec,
    listOffsetsCodec,
    metadataCodec,
    offsetCommitCodec,
    offsetFetchCodec,
    findCoordinatorCodec,
    joinGroupCodec,
    heartbeatCodec,
    leaveGroupCodec,
    syncGroupCodec,
    describeGroupsCodec,
    listGroupsCodec,
    createTopicsCodec,
    deleteTopicsCodec,
    initProducerIdCodec,
    apiVersionsCodec,
  ].map((c) => [c.apiKey, c as Codec<unknown, unknown>]),
);

type AnyHandler = Handler<unknown, unknown>;

function frameOf(correlationId: number, chunks: Buffer[], bodySize: number): Buffer[] {
  const head = Buffer.allocUnsafe(8);
  head.writeInt32BE(bodySize + 4, 0);
  head.writeInt32BE(correlationId, 4);
  return [head, ...chunks];
}

function encode(
  codec: Codec<unknown, unknown>,
  version: number,
  correlationId: number,
  res: unknown,
): Buffer[] {
  const w = createWriter();
  codec.encodeResponse(w, version, res);
  return frameOf(correlationId, w.chunks(), w.size());
}

export function createDispatch(core: BrokerCore): Dispatch {
  const ranges: ApiVersionRange[] = [...CODECS.values()]
    .map((c) => ({ apiKey: c.apiKey, minVersion: c.minVersion, maxVersion: c.maxVersion }))
    .sort((a, b) => a.apiKey - b.apiKey);
  const handlers = new Map<number, AnyHandler>(
    (
      [
        [produceCodec, produceHandler(core)],
        [fetchCodec, fetchHandler(core)],
        [listOffsetsCodec, listOffsetsHandler(core)],
        [metadataCodec, metadataHandler(core)],
        [offsetCommitCodec, offsetCommitHandler(core)],
        [offsetFetchCodec, offsetFetchHandler(core)],
        [findCoordinatorCodec, findCoordinatorHandler(core)],
        [joinGroupCodec, joinGroupHandler(core)],
        [heartbeatCodec, heartbeatHandler(core)],
        [leaveGroupCodec, leaveGroupHandler(core)],
        [syncGroupCodec, syncGroupHandler(core)],
        [describeGroupsCodec, describeGroupsHandler(core)],
        [listGroupsCodec, listGroupsHandler(core)],
        [createTopicsCodec, createTopicsHandler(core)],
        [deleteTopicsCodec, deleteTopicsHandler(core)],
        [initProducerIdCodec, initProducerIdHandler(core)],
        [apiVersionsCodec, () => ({ errorCode: ErrorCode.NONE, apiKeys: ranges })],
      ] as [Codec<unknown, unknown>, AnyHandler][]
    ).map(([codec, handler]) => [codec.apiKey, handler]),
  );

  return (frame, clientHost) => {
    const decoded = decodeFrame(frame);
    if (decoded.kind === 'unsupported') {
      const { apiKey, correlationId } = decoded;
      if (apiKey === apiVersionsCodec.apiKey) {
        return encode(apiVersionsCodec as Codec<unknown, unknown>, 0, correlationId, {
          errorCode: ErrorCode.UNSUPPORTED_VERSION,
          apiKeys: ranges,
        });
      }
      const w = createWriter().int16(ErrorCode.UNSUPPORTED_VERSION);
      return frameOf(correlationId, w.chunks(), w.size());
    }
    const { codec, header, req } = decoded;
    const { apiVersion, correlationId } = header;
    const handler = handlers.get(header.apiKey) as AnyHandler;
    const out = handler(req, { version: apiVersion, clientId: header.clientId ?? '', clientHost });
    if (out instanceof Promise) {
      return out.then((res) =>
        res === null ? null : encode(codec, apiVersion, correlationId, res),
      );
    }
    return out === null ? null : encode(codec, apiVersion, correlationId, out);
  };
}

export type DecodedFrame =
  | { kind: 'request'; codec: Codec<unknown, unknown>; header: RequestHeader; req: unknown }
  | { kind: 'unsupported'; apiKey: number; correlationId: number };

/**
 * Decodes a request frame (without its size prefix). Throws ProtocolError for
 * anything malformed or an unknown API key; the fuzz tests drive this directly.
 */
export function decodeFrame(frame: Buffer): DecodedFrame {
  const prefix = readHeaderPrefix(frame);
  if (!prefix) throw new ProtocolError(`frame of ${frame.length} bytes is too short for a header`);
  const codec = CODECS.get(prefix.apiKey);
  if (!codec) throw new ProtocolError(`unknown api key ${prefix.apiKey}`);
  if (prefix.apiVersion < codec.minVersion || prefix.apiVersion > codec.maxVersion) {
    return { kind: 'unsupported', apiKey: prefix.apiKey, correlationId: prefix.correlationId };
  }
  const reader = createReader(frame);
  const header = readRequestHeader(reader);
  return { kind: 'request', codec, header, req: codec.decodeRequest(reader, header.apiVersion) };
}
