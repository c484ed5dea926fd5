// kafka-lite benchmark: `npm run bench:kafka`.
//
// The broker runs as a separate process (src/main.ts via tsx, persistent mode in a temp
// dir) so kafkajs, which is CPU-heavy, does not share its event loop. Three phases:
//   1. produce: batches of 100 x 200-byte messages, acks=-1, several sends in flight;
//   2. consume: a consumer group drains everything produced;
//   3. latency: 1,000 messages/s for ~10 s, end-to-end (send call to eachMessage) p50/p99.
// Figures go to <repo>/bench/results/kafka.json. The whole run is bounded (< 3 min).

import { fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type ISocketFactory, type Producer } from 'kafkajs';
import { encodeBatch } from '../src/protocol/record-batch';
import { createWriter } from '../src/protocol/writer';

const repoRoot = path.resolve(__dirname, '../../..');
const resultsFile = path.join(repoRoot, 'bench/results/kafka.json');
const TOTAL = Number(process.env.BENCH_MESSAGES ?? 300_000);
const BATCH = 100;
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 8);
const PARTITIONS = 6;
const PRODUCERS = Number(process.env.BENCH_PRODUCERS ?? 2);
const LATENCY_RATE = 1000;
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);
const LATENCY_ACKS = Number(process.env.BENCH_LATENCY_ACKS ?? -1);
const HARD_LIMIT_MS = 170_000;

const value = Buffer.alloc(200, 'x');

function startBrokerProcess(dataDir: string) {
  const proc = spawn(
    process.execPath,
    [
      ...profileArgs(),
      '--conditions=source',
      '--import',
      'tsx',
      path.join(__dirname, '../src/main.ts'),
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--quiet',
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const address = new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`broker exited early with code ${code}`)));
  });
  return { proc, address };
}

/** BENCH_PROFILE=<dir> writes a CPU profile of the broker process there. */
function profileArgs(): string[] {
  const dir = process.env.BENCH_PROFILE;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`] : [];
}

/**
 * kafkajs leaves Nagle's algorithm on. A small request written while the previous one
 * is unacknowledged then waits for the broker's delayed ACK (up to 40 ms on Linux),
 * which dominates tail latency at low rates. The Java client and librdkafka set
 * TCP_NODELAY; so do we, unless BENCH_NAGLE=1 asks for kafkajs' default socket.
 */
const noDelaySocketFactory: ISocketFactory = ({ host, port, onConnect }) => {
  const socket = net.connect({ host, port, noDelay: true }, onConnect);
  socket.setKeepAlive(true, 60_000);
  return socket;
};
const NAGLE = process.env.BENCH_NAGLE === '1';

let brokerPid = 0;
const round = (n: number): number => Number(n.toFixed(2));

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function procCpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch (err) {
    console.warn(`cannot read CPU time of ${pid}: ${(err as Error).message}`);
    return NaN;
  }
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const makeKafka = (address: string, clientId: string): Kafka =>
  new Kafka({
    clientId,
    brokers: [address],
    logLevel: logLevel.NOTHING,
    ...(NAGLE ? {} : { socketFactory: noDelaySocketFactory }),
  });

/** Sends `count` messages as batches of BATCH, each to one partition, IN_FLIGHT at a time. */
async function produceMessages(
  producer: Producer,
  topic: string,
  count: number,
  firstPartition: number,
) {
  const sends = count / BATCH;
  let next = 0;
  const worker = async () => {
    while (next < sends) {
      const partition = (firstPartition + next++) % PARTITIONS;
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: BATCH }, () => ({ partition, value })),
      });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

/** Child-process side of the produce phase: connect, warm up, wait for "go", produce. */
async function producerChild(
  address: string,
  topic: string,
  count: number,
  index: number,
): Promise<void> {
  // If the parent dies, do not linger holding broker connections.
  process.once('disconnect', () => process.exit(1));
  const producer = makeKafka(address, `bench-producer-${index}`).producer({
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: [{ partition: index % PARTITIONS, value }] });
  await new Promise<void>((resolve) => {
    process.once('message', () => resolve());
    process.send?.('ready');
  });
  const cpu = process.cpuUsage();
  await produceMessages(producer, topic, count, index);
  const used = process.cpuUsage(cpu);
  await producer.disconnect();
  // Exit once the report is out: the IPC channel would otherwise keep this process alive.
  process.send?.({ cpuSeconds: (used.user + used.system) / 1e6 }, () => process.exit(0));
}

/**
 * kafkajs spends far more CPU encoding a batch than the broker spends storing it, so
 * the produce phase runs PRODUCERS client processes side by side (each with its own
 * connection and IN_FLIGHT sends), started together and timed from "go" to the last
 * one done.
 */
async function producePhase(address: string, topic: string) {
  const perProducer = TOTAL / PRODUCERS;
  const children = Array.from({ length: PRODUCERS }, (_, i) =>
    fork(__filename, ['--producer', address, topic, String(perProducer), String(i)], {
      execArgv: ['--conditions=source', '--import', 'tsx'],
      cwd: repoRoot,
    }),
  );
  const ready = Promise.all(
    children.map((c) => new Promise<void>((r) => c.on('message', (m) => m === 'ready' && r()))),
  );
  await ready;
  const done = Promise.all(
    children.map(
      (c) =>
        new Promise<number>((r) =>
          c.on('message', (m: { cpuSeconds?: number }) => {
            if (typeof m === 'object' && m.cpuSeconds !== undefined) r(m.cpuSeconds);
          }),
        ),
    ),
  );
  const started = process.hrtime.bigint();
  const brokerCpu = procCpuSeconds(brokerPid);
  for (const c of children) c.send('go');
  const producerCpu = await done;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const brokerCpuSeconds = round(procCpuSeconds(brokerPid) - brokerCpu);
  await Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
  );
  return {
    messages: TOTAL,
    producers: PRODUCERS,
    seconds: round(seconds),
    messagesPerSecond: Math.round(TOTAL / seconds),
    brokerCpuSeconds,
    producerCpuSeconds: round(producerCpu.reduce((a, b) => a + b, 0)),
  };
}

async function consumePhase(kafka: Kafka, topic: string) {
  const consumer = kafka.consumer({
    groupId: `bench-drain-${Date.now()}`,
    maxBytesPerPartition: 4 << 20,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let count = 0;
  let first = 0n;
  const started = process.hrtime.bigint();
  const brokerCpu = procCpuSeconds(brokerPid);
  const clientCpu = process.cpuUsage();
  await new Promise<void>((resolve) => {
    void consumer.run({
      partitionsConsumedConcurrently: PARTITIONS,
      eachBatch: async ({ batch }) => {
        if (first === 0n) first = process.hrtime.bigint();
        count += batch.messages.length;
        if (count >= TOTAL) resolve();
      },
    });
  });
  const end = process.hrtime.bigint();
  const clientUsed = process.cpuUsage(clientCpu);
  const brokerCpuSeconds = round(procCpuSeconds(brokerPid) - brokerCpu);
  await consumer.disconnect();
  const seconds = Number(end - first) / 1e9;
  return {
    messages: count,
    seconds,
    messagesPerSecond: Math.round(count / seconds),
    secondsIncludingGroupJoin: Number(end - started) / 1e9,
    brokerCpuSeconds,
    consumerCpuSeconds: round((clientUsed.user + clientUsed.system) / 1e6),
  };
}

/**
 * The broker's own capacity, without kafkajs: a raw-protocol client sends pre-encoded
 * Produce v7 requests (one 100 x 200-byte batch each, acks=-1, 16 in flight), so the
 * client costs almost nothing and the figure shows what the broker can take.
 */
async function rawProducePhase(address: string, topic: string) {
  const batch = encodeBatch(Array.from({ length: BATCH }, () => ({ value })));
  const frames = Array.from({ length: PARTITIONS }, (_, partition) => {
    const w = createWriter().int16(0).int16(7).int32(0).nullableString('bench-raw');
    w.nullableString(null).int16(-1).int32(30_000);
    w.array([topic], (w, t) => {
      w.string(t);
      w.array([partition], (w, p) => w.int32(p).bytes(batch));
    });
    const body = Buffer.concat(w.chunks());
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length);
    return Buffer.concat([size, body]);
  });
  const [host, port] = address.split(':');
  const socket = net.connect({ host, port: Number(port), noDelay: true });
  await new Promise((r) => socket.once('connect', r));
  const requests = TOTAL / BATCH;
  let sent = 0;
  let received = 0;
  let pending: Buffer = Buffer.alloc(0);
  const brokerCpu = procCpuSeconds(brokerPid);
  const started = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('data', (d: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, d]) : d;
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = pending.subarray(4, 4 + pending.readInt32BE(0));
        // Response: [topics] -> name, [partitions] -> index, error_code ...
        const nameLength = frame.readInt16BE(8);
        const errorCode = frame.readInt16BE(4 + 4 + 2 + nameLength + 4 + 4);
        if (errorCode !== 0) reject(new Error(`raw produce failed with error ${errorCode}`));
        pending = pending.subarray(4 + frame.length);
        received++;
        if (sent < requests) socket.write(frames[sent++ % PARTITIONS]);
      }
      if (received === requests) resolve();
    });
    for (let i = 0; i < 16 && sent < requests; i++) socket.write(frames[sent++ % PARTITIONS]);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  socket.destroy();
  return {
    messages: TOTAL,
    seconds: round(seconds),
    messagesPerSecond: Math.round(TOTAL / seconds),
    brokerCpuSeconds: round(procCpuSeconds(brokerPid) - brokerCpu),
  };
}

async function latencyPhase(kafka: Kafka, producer: Producer, topic: string) {
  const consumer = kafka.consumer({
    groupId: `bench-latency-${Date.now()}`,
    maxWaitTimeInMs: 500,
    heartbeatInterval: 1000,
  });
  const latencies: number[] = [];
  const sentAt = new Map<number, bigint>();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  let joined: () => void = () => undefined;
  const ready = new Promise<void>((r) => (joined = r));
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  await consumer.run({
    eachMessage: async ({ message }) => {
      const id = Number(message.value?.toString());
      const t = sentAt.get(id);
      if (t !== undefined) latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    },
  });
  await ready;
  // Let the first fetches go out so we measure steady state, not partition assignment.
  await new Promise((r) => setTimeout(r, 1000));
  const total = LATENCY_RATE * LATENCY_SECONDS;
  const t0 = Date.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / LATENCY_RATE;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    sentAt.set(i, process.hrtime.bigint());
    pending.push(producer.send({ topic, acks: LATENCY_ACKS, messages: [{ value: String(i) }] }));
  }
  await Promise.all(pending);
  const deadline = Date.now() + 5000;
  while (latencies.length < total && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  await consumer.disconnect();
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    targetRatePerSecond: LATENCY_RATE,
    sent: total,
    received: latencies.length,
    achievedRatePerSecond: Math.round(total / ((Date.now() - t0) / 1000)),
    p50Ms: Number(percentile(sorted, 50).toFixed(2)),
    p99Ms: Number(percentile(sorted, 99).toFixed(2)),
    maxMs: Number(sorted[sorted.length - 1].toFixed(2)),
  };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-lite-bench-'));
  const loadAtStart = round(os.loadavg()[0]);
  const broker = startBrokerProcess(dataDir);
  brokerPid = broker.proc.pid ?? 0;
  const limit = setTimeout(() => {
    console.error(`benchmark exceeded ${HARD_LIMIT_MS / 1000}s, aborting`);
    broker.proc.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(2);
  }, HARD_LIMIT_MS);
  try {
    const address = await broker.address;
    const kafka = makeKafka(address, 'bench');
    const admin = kafka.admin();
    await admin.connect();
    const topic = `bench-${Date.now()}`;
    const latencyTopic = `${topic}-latency`;
    const rawTopic = `${topic}-raw`;
    await admin.createTopics({
      topics: [
        { topic, numPartitions: PARTITIONS },
        { topic: latencyTopic, numPartitions: 1 },
        { topic: rawTopic, numPartitions: PARTITIONS },
      ],
    });
    await admin.disconnect();

    const produce = await producePhase(address, topic);
    console.log(
      `produce: ${produce.messagesPerSecond} msg/s (${produce.messages} in ${produce.seconds.toFixed(2)} s)`,
    );
    const consume = await consumePhase(kafka, topic);
    console.log(
      `consume: ${consume.messagesPerSecond} msg/s (${consume.messages} in ${consume.seconds.toFixed(2)} s)`,
    );
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const latency = await latencyPhase(kafka, producer, latencyTopic);
    const rawProduce = await rawProducePhase(address, rawTopic);
    console.log(
      `broker only (raw client, acks=-1): ${rawProduce.messagesPerSecond} msg/s, ` +
        `broker CPU ${rawProduce.brokerCpuSeconds} s for ${rawProduce.messages} messages`,
    );
    console.log(
      `latency at ${latency.achievedRatePerSecond}/s: p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms, max ${latency.maxMs} ms`,
    );
    await producer.disconnect();

    const results = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        node: process.version,
        // Other work on the machine skews every figure; recorded so runs can be compared.
        loadAverage1mAtStart: loadAtStart,
        loadAverage1mAtEnd: round(os.loadavg()[0]),
      },
      setup: {
        tcpNoDelay: !NAGLE,
        producerProcesses: PRODUCERS,
        messageBytes: value.length,
        batchMessages: BATCH,
        acks: -1,
        inFlightSends: IN_FLIGHT,
        partitions: PARTITIONS,
        persistent: true,
      },
      produce,
      consume,
      latency,
      brokerOnlyProduce: rawProduce,
      goals: {
        produce100k: produce.messagesPerSecond >= 100_000,
        consume100k: consume.messagesPerSecond >= 100_000,
        p99Under10ms: latency.p99Ms <= 10,
      },
    };
    fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
    fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
    console.log(`results written to ${path.relative(repoRoot, resultsFile)}`);
  } finally {
    clearTimeout(limit);
    broker.proc.kill('SIGTERM');
    await new Promise((r) => broker.proc.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const run =
  process.argv[2] === '--producer'
    ? producerChild(
        process.argv[3],
        process.argv[4],
        Number(process.argv[5]),
        Number(process.argv[6]),
      )
    : main();
run.catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
