// Producer id allocation for InitProducerId. Ids must never repeat across restarts
// (a reused id would make a new producer look like a duplicate of an old one), so
// blocks of ids are reserved by persisting the block end before handing any out.

import fs from 'node:fs';
import path from 'node:path';

const BLOCK = 1000;

export interface ProducerIds {
  next(): number;
}

export function openProducerIds(dataDir: string | null): ProducerIds {
  const file = dataDir ? path.join(dataDir, 'producer-ids.json') : null;
  let next = 0;
  let limit = 0;
  if (file && fs.existsSync(file)) {
    next = (JSON.parse(fs.readFileSync(file, 'utf8')) as { reservedUpTo: number }).reservedUpTo;
    limit = next;
  }
  const reserve = (): void => {
    limit = next + BLOCK;
    if (!file) return;
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ reservedUpTo: limit }));
    const fd = fs.openSync(tmp, 'r+');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, file);
  };
  return {
    next() {
      if (next >= limit) reserve();
      return next++;
    },
  };
}
