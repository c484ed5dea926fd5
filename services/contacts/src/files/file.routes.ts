// The file routes contacts serves behind the gateway (which authenticates the bearer
// token and signs the caller, as for GraphQL): GET /files/<id> streams a ready file of
// the caller's workspace; POST /files stores an upload (a CSV or XLSX to import) as it
// arrives, up to MAX_UPLOAD_BYTES, never holding more than a chunk of it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { once } from 'node:events';
import {
  can,
  HttpError,
  isUuid,
  rolesWith,
  sendJson,
  streamingRoute,
} from '@customer-graph/runtime';
import type { Identity, Logger, RouteHandler, ServiceResources } from '@customer-graph/runtime';
import { fileUrl, findFile, openFileWriter, readFileChunks } from './file.store';
import type { StoredFile } from './file.store';

/** The largest upload: a 100,000-row customer file is about 10 MB. */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
const MAX_NAME_LENGTH = 200;

function refuse(req: IncomingMessage, res: ServerResponse, error: unknown, logger: Logger): void {
  // A body left unread (a refused upload) would be parsed as the next request: close.
  if (!req.complete && !res.headersSent) res.setHeader('connection', 'close');
  if (error instanceof HttpError) {
    sendJson(res, error.status, { error: error.message, code: error.code });
    return;
  }
  logger.error('file request failed', { error: (error as Error).message });
  if (!res.headersSent) sendJson(res, 500, { error: 'internal error', code: 'INTERNAL' });
  else res.destroy();
}

/** RFC 6266 / 5987: an ASCII fallback and the UTF-8 name. */
function contentDisposition(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/["\\]/g, '_');
  return `attachment; filename="${ascii || 'file'}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** The file the caller may download, or the HttpError to answer. */
async function downloadable(
  resources: ServiceResources,
  caller: Identity,
  id: string,
): Promise<StoredFile> {
  const missing = new HttpError(404, `no file ${id}`, 'NOT_FOUND');
  if (!isUuid(id)) throw missing;
  const file = await findFile(resources.db, caller.workspaceId, id);
  // Another workspace's file, one still being written and an expired one are alike.
  if (!file || !file.ready || file.expiresAt.getTime() <= Date.now()) throw missing;
  if (!can(caller, file.capability)) {
    throw new HttpError(
      403,
      `this file needs one of the roles ${rolesWith(file.capability).join(', ')}; you are ${caller.role}`,
      'FORBIDDEN',
    );
  }
  return file;
}

function download(resources: ServiceResources): RouteHandler {
  return async (req, res) => {
    try {
      const caller = resources.verifyCaller(req);
      const id = new URL(req.url ?? '/', 'http://localhost').pathname.split('/')[2] ?? '';
      const file = await downloadable(resources, caller, id);
      res.writeHead(200, {
        'content-type': file.contentType,
        'content-length': file.byteSize,
        'content-disposition': contentDisposition(file.name),
        'cache-control': 'private, no-store',
      });
      for await (const chunk of readFileChunks(resources.db, caller.workspaceId, file.id)) {
        if (res.destroyed) return;
        if (!res.write(chunk)) await once(res, 'drain');
      }
      res.end();
    } catch (error) {
      refuse(req, res, error, resources.logger);
    }
  };
}

function uploadName(req: IncomingMessage): string {
  const given = req.headers['x-file-name'];
  let name = typeof given === 'string' ? given : 'upload';
  try {
    name = decodeURIComponent(name);
  } catch {
    // A name that is not percent-encoded is kept as written.
  }
  name = name
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f/\\]/g, '_')
    .trim()
    .slice(0, MAX_NAME_LENGTH);
  return name || 'upload';
}

function upload(resources: ServiceResources): RouteHandler {
  return streamingRoute(async (req, res) => {
    try {
      const caller = resources.verifyCaller(req);
      if (!can(caller, 'workspace.edit')) {
        throw new HttpError(
          403,
          `uploading needs one of the roles ${rolesWith('workspace.edit').join(', ')}; you are ${caller.role}`,
          'FORBIDDEN',
        );
      }
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > MAX_UPLOAD_BYTES) {
        throw new HttpError(
          413,
          `an upload is at most ${MAX_UPLOAD_BYTES} bytes`,
          'PAYLOAD_TOO_LARGE',
        );
      }
      const writer = await openFileWriter(resources.db, {
        workspaceId: caller.workspaceId,
        kind: 'UPLOAD',
        name: uploadName(req),
        contentType: String(req.headers['content-type'] ?? 'application/octet-stream'),
        createdBy: caller.userId,
        capability: 'workspace.edit',
      });
      try {
        for await (const chunk of req) {
          if (writer.byteSize + (chunk as Buffer).length > MAX_UPLOAD_BYTES) {
            throw new HttpError(
              413,
              `an upload is at most ${MAX_UPLOAD_BYTES} bytes`,
              'PAYLOAD_TOO_LARGE',
            );
          }
          await writer.write(chunk as Buffer);
        }
        if (writer.byteSize === 0) throw new HttpError(400, 'the upload is empty', 'BAD_REQUEST');
        const file = await writer.finish();
        sendJson(res, 201, {
          id: file.id,
          name: file.name,
          byteSize: file.byteSize,
          expiresAt: file.expiresAt.toISOString(),
          url: fileUrl(file.id),
        });
      } catch (error) {
        await writer.abort();
        throw error;
      }
    } catch (error) {
      refuse(req, res, error, resources.logger);
    }
  });
}

export function fileRoutes(resources: ServiceResources): Record<string, RouteHandler> {
  return { 'GET /files/*': download(resources), 'POST /files': upload(resources) };
}
