// `npm run -s token -- --workspace <id> --role <role> [--user <id>] [--ttl 12h]`:
// prints a development token, alone, on stdout.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { WORKSPACE_ID_PATTERN, isRole, repoRoot } from '@customer-graph/runtime';
import { signDevToken } from '@customer-graph/gateway';
import { loadDevSecrets } from './secrets';

function fail(message: string): never {
  process.stderr.write(`token: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      workspace: { type: 'string' },
      role: { type: 'string', default: 'admin' },
      user: { type: 'string', default: 'dev-user' },
      ttl: { type: 'string', default: '12h' },
    },
  });
  if (!values.workspace || !WORKSPACE_ID_PATTERN.test(values.workspace)) {
    fail('--workspace <id> is required (letters, digits, - and _, up to 64)');
  }
  if (!isRole(values.role)) fail('--role must be admin, editor, staff, analyst or platform');
  const dataDir = path.resolve(repoRoot(), process.env.DATA_DIR ?? '.data');
  const secret = process.env.JWT_SECRET ?? loadDevSecrets(dataDir)!.jwtSecret;
  const token = await signDevToken(
    { workspaceId: values.workspace, userId: values.user!, role: values.role },
    secret,
    values.ttl,
  );
  process.stdout.write(token + '\n');
}

void main().catch((error: unknown) => fail((error as Error).message));
