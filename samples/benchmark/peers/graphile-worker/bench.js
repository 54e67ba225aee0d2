// Graphile Worker measured the way pgqueue's benchmark measures pgqueue, on the same database:
// enqueue one at a time, addJobs in batches of 1,000, drain of no-op jobs with concurrency 16 (without a
// local queue, and with a local queue of 100 and completions batched over 0 ms and over 250 ms: the fastest
// documented configuration), and enqueue-to-start latency at low load (addJob through worker utils, so the
// runner learns of each job from the NOTIFY). Medians of --runs runs.
// Usage: npm ci && node bench.js [--url postgres://postgres@127.0.0.1:5432/postgres] [--runs 3] [--jobs 100000] [--latency-jobs 200] [--latency-pause 50]. Loopback only.
const { run, makeWorkerUtils } = require("graphile-worker");

const { options, perSecond, p50p99, sleep, figures } = require("../common.cjs");

const { connectionString, runs, jobs, latencyJobs, latencyPause } = options(process.argv);
const schema = "pgqueue_peer_graphile";
const preset = (extra) => ({ worker: { connectionString, schema, ...extra } });

async function reset(utils) {
  await utils.withPgClient((client) => client.query(`TRUNCATE ${schema}._private_jobs, ${schema}._private_job_queues, ${schema}._private_tasks CASCADE`));
}

async function enqueueSingly(utils, count) {
  await reset(utils);
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    await utils.addJob("noop", { n: i });
  }
  return perSecond(count, start);
}

async function enqueueInBatches(utils, count) {
  await reset(utils);
  const start = process.hrtime.bigint();
  await fill(utils, count);
  return perSecond(count, start);
}

async function fill(utils, count) {
  for (let from = 0; from < count; from += 1000) {
    const batch = [];
    for (let i = from; i < Math.min(count, from + 1000); i++) {
      batch.push({ identifier: "noop", payload: { n: i } });
    }
    await utils.addJobs(batch);
  }
}

async function drain(utils, count, localQueueSize, completeJobBatchDelay) {
  await reset(utils);
  await fill(utils, count);
  await utils.withPgClient((client) => client.query(`VACUUM ANALYZE ${schema}._private_jobs`));
  let done = 0;
  let finished;
  const allDone = new Promise((resolve) => { finished = resolve; });
  const start = process.hrtime.bigint();
  const runner = await run({
    concurrency: 16,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList: { noop: async () => { if (++done === count) finished(); } },
    preset: preset(localQueueSize > 0 ? { localQueue: { size: localQueueSize }, completeJobBatchDelay } : {}),
  });
  await allDone;
  // done when every completion is written: wait for the table to empty
  while ((await utils.withPgClient((client) => client.query(`SELECT count(*) AS n FROM ${schema}._private_jobs`))).rows[0].n !== "0") {
    await sleep(1);
  }
  const rate = perSecond(count, start);
  await runner.stop();
  return rate;
}

async function latency(utils, count) {
  await reset(utils);
  const latencies = [];
  let started;
  const runner = await run({
    concurrency: 4,
    noHandleSignals: true,
    pollInterval: 2000,
    taskList: { noop: async (payload) => { latencies.push(Number(process.hrtime.bigint() - BigInt(payload.at)) / 1e6); started(); } },
    preset: preset({}),
  });
  await sleep(500);
  for (let i = 0; i < count; i++) {
    const startedNow = new Promise((resolve) => { started = resolve; });
    await utils.addJob("noop", { at: process.hrtime.bigint().toString() });
    await startedNow;
    await sleep(latencyPause);
  }
  await runner.stop();
  return p50p99(latencies);
}

async function main() {
  const utils = await makeWorkerUtils({ preset: preset({}) });
  await utils.migrate();
  const { record, print } = figures(runs);
  console.log("warming up (untimed)");
  await enqueueSingly(utils, 1000);
  await enqueueInBatches(utils, jobs);
  await drain(utils, jobs, 100, 0);
  for (let r = 1; r <= runs; r++) {
    console.log(`run ${r}/${runs}`);
    record("graphile-worker: addJob one at a time, 1 client (jobs/s)", await enqueueSingly(utils, 5000));
    record("graphile-worker: addJobs in batches of 1,000 (jobs/s)", await enqueueInBatches(utils, jobs));
    record("graphile-worker: drain no-op jobs, concurrency 16 (jobs/s)", await drain(utils, jobs, -1, -1));
    // batched completions: 0 ms batches the completions of one tick, 250 ms is where its documentation suggests starting
    record("graphile-worker: drain no-op jobs, concurrency 16, local queue 100, completions batched 0 ms (jobs/s)", await drain(utils, jobs, 100, 0));
    record("graphile-worker: drain no-op jobs, concurrency 16, local queue 100, completions batched 250 ms (jobs/s)", await drain(utils, jobs, 100, 250));
    const [p50, p99] = await latency(utils, latencyJobs);
    record("graphile-worker: enqueue->start latency p50, idle worker (ms)", p50);
    record("graphile-worker: enqueue->start latency p99, idle worker (ms)", p99);
  }
  print();
  await utils.release();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
