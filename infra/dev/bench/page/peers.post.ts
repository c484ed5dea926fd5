// One GraphQL POST over a keep-alive connection, for the peers' check and its load.
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface GraphqlAnswer {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: unknown[];
}

export function postGraphql(url: string, token: string, body: object): Promise<GraphqlAnswer> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphqlAnswer;
            resolve({ ...parsed, status: res.statusCode ?? 0 });
          } catch (error) {
            reject(new Error(`${url} answered ${res.statusCode}, not JSON: ${error}`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}
