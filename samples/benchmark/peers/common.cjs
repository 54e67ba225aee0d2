// What the peers' benchmarks share: options, timing, percentiles and the printed table, as pgqueue's
// own benchmark reports them.

/**
 * @returns {{connectionString: string, runs: number, jobs: number, latencyJobs: number, latencyPause: number}} from
 * --url, --runs, --jobs (100,000 by default, as pgqueue's benchmark), --latency-jobs and --latency-pause (200 jobs
 * 50 ms apart); loopback only
 */
function options(argv) {
  const args = Object.fromEntries(argv.slice(2).reduce((pairs, arg, i, all) =>
    (i % 2 === 0 ? [...pairs, [arg.replace(/^--/, ""), all[i + 1]]] : pairs), []));
  const connectionString = args.url || "postgres://postgres@127.0.0.1:5432/postgres";
  if (!/^postgres(ql)?:\/\/[^@]*@(127\.0\.0\.1|localhost)(:\d+)?\//.test(connectionString)) {
    throw new Error("the benchmark runs against loopback only, not " + connectionString);
  }
  return {
    connectionString,
    runs: Number(args.runs || 3),
    jobs: Number(args.jobs || 100000),
    latencyJobs: Number(args["latency-jobs"] || 200),
    latencyPause: Number(args["latency-pause"] || 50),
  };
}

const perSecond = (count, start) => count / (Number(process.hrtime.bigint() - start) / 1e9);
const percentile = (sorted, p) => sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1))];
const format = (value) => value.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @returns the p50 and p99 of the given millisecond figures */
function p50p99(millis) {
  const sorted = [...millis].sort((a, b) => a - b);
  return [percentile(sorted, 50), percentile(sorted, 99)];
}

/** Collects each figure's runs; prints each as it comes and, at the end, the medians as a table. */
function figures(runs) {
  const all = new Map();
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
  return {
    record(name, value) {
      all.set(name, [...(all.get(name) || []), value]);
      console.log(`  ${name.padEnd(72)} ${format(value).padStart(12)}`);
    },
    print() {
      console.log(`\n| figure | median of ${runs} | runs |\n|---|---|---|`);
      for (const [name, values] of all) {
        console.log(`| ${name} | ${format(median(values))} | ${values.map(format).join(", ")} |`);
      }
    },
  };
}

module.exports = { options, perSecond, p50p99, sleep, figures };
