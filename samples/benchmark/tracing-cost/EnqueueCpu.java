import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.PgQueue;
import io.github.pgqueue.QueueSettings;

// The calling thread's allocation and CPU per single enqueue, with no observation registry, against
// whichever pgqueue-core is on the class path: rounds of 5,000 enqueues, the table emptied between
// rounds. Run by ../tracing-cost.sh with the engine before tracing and with today's. Loopback only.
public class EnqueueCpu {

	public static void main(String[] args) throws Exception {
		if (!args[0].matches("jdbc:postgresql://(127\\.0\\.0\\.1|localhost)(:\\d+)?/.*")) {
			throw new IllegalArgumentException("loopback only, not " + args[0]);
		}
		String schema = "pgqueue_tracecost";
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(args[0]);
		dataSource.setMaximumPoolSize(4);
		try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
			s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
		}
		PgQueue pgQueue = PgQueue.builder(dataSource)
			.settings(EngineSettings.builder().schema(schema).queue(QueueSettings.of("default", 1)).build())
			.handler("noop", Long.class, (payload, ctx) -> {
			})
			.build();
		pgQueue.migrate();
		JobQueue jobQueue = pgQueue.jobQueue();
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		for (long i = 0; i < 20000; i++) {
			jobQueue.enqueue("noop", i);
		}
		List<Double> cpu = new ArrayList<>();
		List<Double> rates = new ArrayList<>();
		List<Double> alloc = new ArrayList<>();
		for (int round = 0; round < Integer.parseInt(args[1]); round++) {
			try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
				s.execute("TRUNCATE " + schema + ".pgqueue_job CASCADE");
			}
			com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) threads;
			long allocStart = sun.getCurrentThreadAllocatedBytes();
			long cpuStart = threads.getCurrentThreadCpuTime();
			long start = System.nanoTime();
			for (long i = 0; i < 5000; i++) {
				jobQueue.enqueue("noop", i);
			}
			rates.add(5000 / ((System.nanoTime() - start) / 1e9));
			cpu.add((threads.getCurrentThreadCpuTime() - cpuStart) / 1000.0 / 5000);
			alloc.add((sun.getCurrentThreadAllocatedBytes() - allocStart) / 5000.0);
		}
		Collections.sort(cpu);
		Collections.sort(rates);
		Collections.sort(alloc);
		System.out.printf("bytes_allocated_per_enqueue_median %.0f (%s)%n", alloc.get(alloc.size() / 2), alloc);
		System.out.printf("cpu_us_per_enqueue_median %.2f (%s) rate_median %.0f%n", cpu.get(cpu.size() / 2), cpu, rates.get(rates.size() / 2));
		dataSource.close();
	}

}
