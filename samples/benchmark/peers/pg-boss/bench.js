// pg-boss measured the way pgqueue's benchmark measures pgqueue, on the same database: send one at a
// time, insert in batches of 1,000, drain of no-op jobs by 16 local workers fetching 100 at a time, and
// send-to-start latency at low load with notify on. Medians of --runs runs.
// Usage: npm ci && node bench.js [--url postgres://postgres@127.0.0.1:5432/postgres] [--runs 3] [--jobs 100000] [--latency-jobs 200] [--latency-pause 50]. Loopback only.
import { PgBoss } from "pg-boss";
import common from "../common.cjs";

const { options, perSecond, p50p99, sleep, figures } = common;

const { connectionString, runs, jobs, latencyJobs, latencyPause } = options(process.argv);
const schema = "pgqueue_peer_pgboss";
const queue = "noop";

async function newBoss() {
  const boss = new PgBoss({ connectionString, schema, max: 20, supervise: false, schedule: false, useListenNotify: true });
  boss.on("error", (error) => console.error(error));
  await boss.start();
  return boss;
}

async function reset(boss) {
  await boss.deleteQueue(queue).catch(() => {});
  await boss.createQueue(queue, { notify: true });
}

async function sendSingly(boss, count) {
  await reset(boss);
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    await boss.send(queue, { n: i });
  }
  return perSecond(count, start);
}

async function fill(boss, count) {
  for (let from = 0; from < count; from += 1000) {
    const batch = [];
    for (let i = from; i < Math.min(count, from + 1000); i++) {
      batch.push({ data: { n: i } });
    }
    await boss.insert(queue, batch);
  }
}

async function insertInBatches(boss, count) {
  await reset(boss);
  const start = process.hrtime.bigint();
  await fill(boss, count);
  return perSecond(count, start);
}

async function drain(boss, count) {
  await reset(boss);
  await fill(boss, count);
  let done = 0;
  let finished;
  const allDone = new Promise((resolve) => { finished = resolve; });
  const start = process.hrtime.bigint();
  // a batch handler's jobs are completed together once it resolves
  await boss.work(queue, { batchSize: 100, localConcurrency: 16, burstWhenBatchFull: true, pollingIntervalSeconds: 0.5 },
    async (batch) => { done += batch.length; if (done >= count) finished(); });
  await allDone;
  // done when every completion is written
  while ((await boss.getQueueStats(queue)).activeCount > 0 || (await countCompleted(boss)) < count) {
    await sleep(1);
  }
  const rate = perSecond(count, start);
  await boss.offWork(queue, { wait: true });
  return rate;
}

async function countCompleted(boss) {
  const db = boss.getDb();
  const result = await db.executeSql(`SELECT count(*) AS n FROM ${schema}.job WHERE name = $1 AND state = 'completed'`, [queue]);
  return Number(result.rows[0].n);
}

async function latency(boss, count) {
  await reset(boss);
  const latencies = [];
  let started;
  await boss.work(queue, { batchSize: 1, localConcurrency: 4 }, async ([job]) => {
    latencies.push(Number(process.hrtime.bigint() - BigInt(job.data.at)) / 1e6);
    started();
  });
  await sleep(500);
  for (let i = 0; i < count; i++) {
    const startedNow = new Promise((resolve) => { started = resolve; });
    await boss.send(queue, { at: process.hrtime.bigint().toString() });
    await startedNow;
    await sleep(latencyPause);
  }
  await boss.offWork(queue, { wait: true });
  return p50p99(latencies);
}

async function main() {
  const boss = await newBoss();
  const { record, print } = figures(runs);
  console.log("warming up (untimed)");
  await sendSingly(boss, 1000);
  await insertInBatches(boss, jobs);
  await drain(boss, jobs);
  for (let r = 1; r <= runs; r++) {
    console.log(`run ${r}/${runs}`);
    record("pg-boss: send one at a time, 1 client (jobs/s)", await sendSingly(boss, 5000));
    record("pg-boss: insert in batches of 1,000 (jobs/s)", await insertInBatches(boss, jobs));
    record("pg-boss: drain no-op jobs, 16 workers x batch 100 (jobs/s)", await drain(boss, jobs));
    const [p50, p99] = await latency(boss, latencyJobs);
    record("pg-boss: send->start latency p50, idle worker, notify (ms)", p50);
    record("pg-boss: send->start latency p99, idle worker, notify (ms)", p99);
  }
  print();
  await boss.stop({ graceful: false, wait: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
