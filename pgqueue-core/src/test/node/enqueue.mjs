// Enqueues pgqueue jobs from Node.js through the SQL function pgqueue_enqueue, with node-postgres.
// Reads a JSON array of calls on stdin, each {kind, payload, queue?, priority?, runAt?, delay?,
// maxAttempts?, idempotencyKey?}, makes them one by one on one connection and writes a JSON array on
// stdout: {id, duplicate} for each job enqueued, {code, message} for each call refused.
// Connects with libpq's environment (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD);
// PGQUEUE_SCHEMA names the schema pgqueue is installed in.
import pg from 'pg';

const schema = process.env.PGQUEUE_SCHEMA;
if (!schema) {
  throw new Error('set PGQUEUE_SCHEMA to the schema pgqueue is installed in');
}

const chunks = [];
for await (const chunk of process.stdin) {
  chunks.push(chunk);
}
const calls = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const client = new pg.Client();
await client.connect();
// unset options are NULL, which the function reads as its defaults
const sql = `SELECT id, duplicate FROM ${client.escapeIdentifier(schema)}.pgqueue_enqueue($1, $2,
    queue => $3, priority => $4, run_at => $5, delay => $6, max_attempts => $7, idempotency_key => $8)`;
const results = [];
try {
  for (const call of calls) {
    try {
      const { rows: [job] } = await client.query(sql, [call.kind, call.payload, call.queue, call.priority,
        call.runAt, call.delay, call.maxAttempts, call.idempotencyKey]);
      // node-postgres returns a bigint as a string: JavaScript numbers are exact only to 2^53
      results.push({ id: job.id, duplicate: job.duplicate });
    }
    catch (error) {
      if (error.code === undefined) {
        throw error;
      }
      results.push({ code: error.code, message: error.message });
    }
  }
}
finally {
  await client.end();
}
process.stdout.write(JSON.stringify(results));
