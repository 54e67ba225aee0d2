package io.github.pgqueue.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.github.pgqueue.DeadKind;
import io.github.pgqueue.EngineSettings;
import io.github.pgqueue.JobError;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobListing;
import io.github.pgqueue.JobOperations;
import io.github.pgqueue.autoconfigure.PgQueueProperties;
import io.github.pgqueue.JobPage;
import io.github.pgqueue.JobQueue;
import io.github.pgqueue.JobState;
import io.github.pgqueue.LeaseHolder;
import io.github.pgqueue.PeriodicJob;
import io.github.pgqueue.PeriodicTick;
import io.github.pgqueue.QueueSummary;
import io.github.pgqueue.SideEffectInfo;
import io.github.pgqueue.node.Worker;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The dashboard's pages and actions, server-rendered HTML over {@link JobOperations} and
 * {@link JobQueue}. Every read is one of theirs, bounded by an index; the actions go through
 * {@link DashboardActions}.
 */
@Controller
@RequestMapping("${pgqueue.dashboard.path:/pgqueue}")
public class DashboardController {

	private static final String FLASH = DashboardController.class.getName() + ".flash";

	private static final MediaType HTML = new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JobQueue jobQueue;

	private final JobOperations operations;

	private final EngineSettings settings;

	private final PgQueueProperties.Dashboard properties;

	private final DashboardActions actions;

	private final Supplier<@Nullable Worker> worker;

	public DashboardController(JobQueue jobQueue, JobOperations operations, EngineSettings settings,
			PgQueueProperties.Dashboard properties, DashboardActions actions, Supplier<@Nullable Worker> worker) {
		this.jobQueue = jobQueue;
		this.operations = operations;
		this.settings = settings;
		this.properties = properties;
		this.actions = actions;
		this.worker = worker;
	}

	@GetMapping({ "", "/" })
	ResponseEntity<String> overview(HttpServletRequest request) {
		String base = base(request);
		boolean mayAct = this.actions.mayAct(request);
		StringBuilder body = new StringBuilder();
		body.append("<h1>Overview</h1>").append(flash(request));
		body.append("<div id=\"live\" data-refreshed-at=\"").append(Instant.now().toEpochMilli()).append("\">");
		body.append("<table id=\"queues\"><thead><tr><th>Queue</th><th>Waiting</th><th>Scheduled</th>")
			.append("<th>Running</th><th>Dead</th><th>Oldest waiting</th><th>Paused</th>");
		if (mayAct) {
			body.append("<th></th>");
		}
		body.append("</tr></thead><tbody>");
		for (QueueSummary queue : this.operations.queueSummaries(this.settings.queues().keySet())) {
			String name = Html.escape(queue.queue());
			body.append("<tr data-queue=\"").append(name).append("\"><td class=\"queue\"><a href=\"")
				.append(Html.escape(base + "/jobs?queue=" + Html.url(queue.queue()))).append("\">").append(name)
				.append("</a></td>");
			cell(body, "waiting", Html.count(queue.waiting(), queue.capped(queue.waiting())));
			cell(body, "scheduled", Html.count(queue.scheduled(), queue.capped(queue.scheduled())));
			cell(body, "running", Html.count(queue.running(), queue.capped(queue.running())));
			cell(body, "dead", Html.count(queue.dead(), queue.deadCapped()));
			cell(body, "oldest", Html.age(queue.oldestWaiting()));
			body.append("<td class=\"paused\">").append(queue.paused() ? "paused" : "").append("</td>");
			if (mayAct) {
				body.append("<td>").append(queue.paused()
						? actionButton(request, DashboardAction.RESUME, queue.queue())
						: actionButton(request, DashboardAction.PAUSE, queue.queue())).append("</td>");
			}
			body.append("</tr>");
		}
		body.append("</tbody></table>");
		body.append("<h2>Completed and failed per minute, last hour</h2>")
			.append(ThroughputChart.svg(this.operations.finishedPerMinute(60)));
		body.append("<p class=\"muted\">Counts stop at ").append(JobOperations.SUMMARY_CAP)
			.append(" (shown as ≥). Refreshes every ").append(this.properties.getRefreshInterval().toSeconds())
			.append("s. Times in UTC.</p></div>");
		return html(HttpStatus.OK, Html.page(base, "overview", "Overview", body.toString(), refreshScript()));
	}

	@GetMapping("/jobs")
	ResponseEntity<String> jobs(HttpServletRequest request, @RequestParam(required = false) @Nullable String state,
			@RequestParam(required = false) @Nullable String queue,
			@RequestParam(required = false) @Nullable String kind,
			@RequestParam(required = false) @Nullable Long before,
			@RequestParam(required = false) @Nullable String find) {
		String base = base(request);
		if (find != null && !find.isBlank()) {
			return find(request, find.strip());
		}
		JobState jobState = blankToNull(state) != null ? JobState.valueOf(state.strip().toUpperCase(Locale.ROOT)) : null;
		JobListing listing = new JobListing(jobState, blankToNull(queue), blankToNull(kind),
				(before != null) ? JobId.of(before) : null, pageSize());
		JobPage page = this.operations.list(listing);
		StringBuilder body = new StringBuilder("<h1>Jobs</h1>").append(flash(request));
		body.append("<form class=\"filters\" id=\"filters\" method=\"get\" action=\"").append(Html.escape(base + "/jobs"))
			.append("\"><label>State<select name=\"state\" id=\"filter-state\"><option value=\"\">any</option>");
		for (JobState option : JobState.values()) {
			body.append("<option value=\"").append(option.dbValue()).append('"')
				.append((option == jobState) ? " selected" : "").append('>').append(option.dbValue()).append("</option>");
		}
		body.append("</select></label>")
			.append("<label>Queue<input name=\"queue\" id=\"filter-queue\" value=\"").append(Html.escape(blankToNull(queue)))
			.append("\"></label><label>Kind<input name=\"kind\" id=\"filter-kind\" value=\"")
			.append(Html.escape(blankToNull(kind))).append("\"></label><button id=\"filter-apply\">Filter</button></form>");
		body.append("<form class=\"filters\" method=\"get\" action=\"").append(Html.escape(base + "/jobs"))
			.append("\"><label>Job id or idempotency key<input name=\"find\" id=\"find\" size=\"40\"></label>")
			.append("<button id=\"find-go\">Find</button></form>");
		body.append("<table id=\"jobs\"><thead><tr><th>Id</th><th>Queue</th><th>Kind</th><th>State</th>")
			.append("<th>Attempt</th><th>Run at</th><th>Created</th></tr></thead><tbody>");
		for (JobInfo job : page.jobs()) {
			long id = job.id().value();
			body.append("<tr id=\"job-").append(id).append("\"><td class=\"n\"><a href=\"")
				.append(Html.escape(base + "/jobs/" + id)).append("\">").append(id).append("</a></td><td>")
				.append(Html.escape(job.queue())).append("</td><td>").append(Html.escape(job.kind())).append("</td><td>")
				.append(Html.state(job.state().dbValue())).append("</td><td class=\"n\">").append(job.attempt())
				.append('/').append(job.maxAttempts()).append("</td><td>").append(Html.time(job.runAt()))
				.append("</td><td>").append(Html.time(job.createdAt())).append("</td></tr>");
		}
		body.append("</tbody></table>");
		if (page.jobs().size() < listing.limit() && page.next().isPresent()) {
			// a filtered page searches a window of the newest jobs before its cursor: older matches follow
			body.append("<p id=\"searched\" class=\"muted\">")
				.append(page.jobs().isEmpty() ? "No matches" : "No more matches")
				.append(" among the ").append(String.format(Locale.ROOT, "%,d", JobListing.SEARCH_WINDOW))
				.append(" jobs before ").append(Html.escape((before != null) ? "#" + before : "the newest"))
				.append(": older ones are searched on the next page.</p>");
		}
		else if (page.jobs().isEmpty()) {
			body.append("<p id=\"no-jobs\">No jobs match.</p>");
		}
		body.append("<p>");
		if (before != null) {
			body.append("<a id=\"first-page\" href=\"").append(Html.escape(jobsUrl(base, listing.before(null))))
				.append("\">« newest</a> ");
		}
		page.next().ifPresent((next) -> body.append("<a id=\"next-page\" href=\"")
			.append(Html.escape(jobsUrl(base, next))).append("\">older »</a>"));
		body.append("</p>");
		return html(HttpStatus.OK, Html.page(base, "jobs", "Jobs", body.toString(), ""));
	}

	private ResponseEntity<String> find(HttpServletRequest request, String find) {
		String base = base(request);
		Optional<JobInfo> job = Optional.empty();
		if (find.chars().allMatch(Character::isDigit) && find.length() < 19) {
			job = this.jobQueue.find(JobId.of(Long.parseLong(find)));
		}
		if (job.isEmpty()) {
			job = this.operations.findByIdempotencyKey(find);
		}
		if (job.isPresent()) {
			return redirect(base + "/jobs/" + job.get().id().value());
		}
		String body = "<h1>Jobs</h1><p class=\"error\" id=\"not-found\">No job has the id or idempotency key "
				+ Html.escape(find) + ".</p><p><a href=\"" + Html.escape(base + "/jobs") + "\">All jobs</a></p>";
		return html(HttpStatus.NOT_FOUND, Html.page(base, "jobs", "Not found", body, ""));
	}

	@GetMapping("/jobs/{id}")
	ResponseEntity<String> job(HttpServletRequest request, @PathVariable long id) {
		String base = base(request);
		Optional<JobInfo> found = (id > 0) ? this.jobQueue.find(JobId.of(id)) : Optional.empty();
		if (found.isEmpty()) {
			return html(HttpStatus.NOT_FOUND, Html.page(base, "jobs", "Not found",
					"<h1>Job " + id + "</h1><p class=\"error\" id=\"not-found\">No such job (it may have been pruned).</p>",
					""));
		}
		JobInfo job = found.get();
		StringBuilder body = new StringBuilder("<h1>Job ").append(id).append(' ').append(Html.state(job.state().dbValue()))
			.append("</h1>").append(flash(request));
		if (this.actions.mayAct(request)) {
			body.append("<p id=\"actions\">");
			if (job.state() == JobState.DEAD || job.state() == JobState.CANCELLED) {
				body.append(actionButton(request, DashboardAction.RETRY, Long.toString(id))).append(' ');
			}
			if (job.state() == JobState.AVAILABLE || job.state() == JobState.RUNNING) {
				body.append(actionButton(request, DashboardAction.CANCEL, Long.toString(id))).append(' ');
			}
			if (job.state() == JobState.DEAD) {
				body.append(actionButton(request, DashboardAction.DISCARD, Long.toString(id)));
			}
			body.append("</p>");
		}
		body.append("<table id=\"job\"><tbody>");
		row(body, "Queue", Html.escape(job.queue()));
		row(body, "Kind", Html.escape(job.kind()));
		row(body, "Attempt", job.attempt() + " of " + job.maxAttempts());
		row(body, "Priority", Integer.toString(job.priority()));
		row(body, "Idempotency key", Html.escape(job.idempotencyKey()));
		row(body, "Created", Html.time(job.createdAt()));
		row(body, "Run at", Html.time(job.runAt()));
		row(body, "Attempted", Html.time(job.attemptedAt()));
		row(body, "Finalized", Html.time(job.finalizedAt()));
		row(body, "Lease owner", Html.escape(job.leaseOwner()));
		row(body, "Lease until", Html.time(job.leaseExpiresAt()));
		row(body, "Cancel requested", job.cancelRequested() ? "yes" : "no");
		body.append("</tbody></table>");
		body.append("<h2>Payload</h2><pre id=\"payload\">").append(Html.escape(prettyJson(job.payload()))).append("</pre>");
		body.append("<h2>Errors</h2>");
		if (job.errors().isEmpty()) {
			body.append("<p class=\"muted\">None.</p>");
		}
		body.append("<div id=\"errors\">");
		for (JobError error : job.errors()) {
			body.append("<div class=\"attempt-error\" data-attempt=\"").append(error.attempt()).append("\"><h3>Attempt ")
				.append(error.attempt()).append(" · ").append(Html.time(error.at())).append("</h3><p class=\"message\">")
				.append(Html.escape(error.message())).append("</p><pre class=\"stack\">").append(Html.escape(error.stackTrace()))
				.append("</pre></div>");
		}
		body.append("</div><h2>runOnce steps</h2>");
		if (job.sideEffects().isEmpty()) {
			body.append("<p class=\"muted\">None.</p>");
		}
		else {
			body.append("<table id=\"steps\"><thead><tr><th>Key</th><th>State</th><th>Attempt</th><th>Started</th>")
				.append("<th>Completed</th></tr></thead><tbody>");
			for (SideEffectInfo step : job.sideEffects()) {
				body.append("<tr data-step=\"").append(Html.escape(step.key())).append("\"><td>").append(Html.escape(step.key()))
					.append("</td><td class=\"step-state\">").append(step.state()).append("</td><td class=\"n\">")
					.append(step.attempt()).append("</td><td>").append(Html.time(step.startedAt())).append("</td><td>")
					.append(Html.time(step.completedAt())).append("</td></tr>");
			}
			body.append("</tbody></table>");
		}
		return html(HttpStatus.OK, Html.page(base, "jobs", "Job " + id, body.toString(), ""));
	}

	@GetMapping("/dead")
	ResponseEntity<String> dead(HttpServletRequest request) {
		String base = base(request);
		boolean mayAct = this.actions.mayAct(request);
		StringBuilder body = new StringBuilder("<h1>Dead letter</h1>").append(flash(request));
		List<DeadKind> kinds = this.operations.deadKinds();
		if (kinds.isEmpty()) {
			body.append("<p id=\"no-dead\">The dead letter is empty.</p>");
		}
		body.append("<table id=\"dead-kinds\"><thead><tr><th>Kind</th><th>Dead jobs</th><th>Last went dead</th><th></th>")
			.append("</tr></thead><tbody>");
		for (DeadKind kind : kinds) {
			body.append("<tr data-kind=\"").append(Html.escape(kind.kind())).append("\"><td>").append(Html.escape(kind.kind()))
				.append("</td><td class=\"n jobs\">").append(kind.jobs()).append("</td><td>").append(Html.time(kind.lastDeadAt()))
				.append("</td><td><a href=\"")
				.append(Html.escape(base + "/jobs?state=dead&kind=" + Html.url(kind.kind()))).append("\">jobs</a> ");
			if (mayAct) {
				body.append(actionButton(request, DashboardAction.RETRY_DEAD, kind.kind()));
			}
			body.append("</td></tr>");
		}
		body.append("</tbody></table><p class=\"muted\">Among the ").append(JobOperations.SUMMARY_CAP)
			.append(" most recently dead jobs.</p>");
		return html(HttpStatus.OK, Html.page(base, "dead", "Dead letter", body.toString(), ""));
	}

	@GetMapping("/periodic")
	ResponseEntity<String> periodic(HttpServletRequest request) {
		String base = base(request);
		Map<String, PeriodicTick> ticks = new TreeMap<>();
		this.operations.periodicTicks().forEach((tick) -> ticks.put(tick.name(), tick));
		Map<String, PeriodicJob> schedules = new TreeMap<>();
		Worker worker = this.worker.get();
		if (worker != null) {
			worker.periodicJobs().forEach((job) -> schedules.put(job.name(), job));
		}
		Set<String> names = new TreeSet<>(ticks.keySet());
		names.addAll(schedules.keySet());
		StringBuilder body = new StringBuilder("<h1>Periodic jobs</h1>");
		body.append("<table id=\"periodic\"><thead><tr><th>Name</th><th>Kind</th><th>Queue</th><th>Last tick</th>")
			.append("<th>Next tick</th></tr></thead><tbody>");
		for (String name : names) {
			PeriodicTick tick = ticks.get(name);
			PeriodicJob job = schedules.get(name);
			Instant after = (tick != null) ? tick.lastTick() : Instant.now();
			Instant next = (job != null) ? job.schedule().nextAfter(after).orElse(null) : null;
			body.append("<tr data-periodic=\"").append(Html.escape(name)).append("\"><td>").append(Html.escape(name))
				.append("</td><td>").append((job != null) ? Html.escape(job.kind()) : "—").append("</td><td>")
				.append((job != null) ? Html.escape(job.queue()) : "—").append("</td><td>")
				.append(Html.time((tick != null) ? tick.lastTick() : null)).append("</td><td class=\"next\">")
				.append(Html.time(next)).append("</td></tr>");
		}
		body.append("</tbody></table><p class=\"muted\">Next ticks from this node's schedules; a job no node here ")
			.append("schedules shows only its last tick.</p>");
		return html(HttpStatus.OK, Html.page(base, "periodic", "Periodic jobs", body.toString(), ""));
	}

	@GetMapping("/workers")
	ResponseEntity<String> workers(HttpServletRequest request) {
		String base = base(request);
		StringBuilder body = new StringBuilder("<h1>Workers</h1>");
		Worker worker = this.worker.get();
		if (worker != null) {
			body.append("<h2>This node</h2><table id=\"this-node\"><tbody>");
			row(body, "Worker id", Html.escape(worker.workerId()));
			row(body, "Running", worker.isRunning() ? "yes" : "no");
			row(body, "Jobs in flight", Integer.toString(worker.inFlight()));
			row(body, "Last heartbeat", Html.time(worker.lastHeartbeatSuccess().orElse(null)));
			row(body, "Last poll", Html.time(worker.lastPollSuccess().orElse(null)));
			body.append("</tbody></table>");
		}
		Duration lease = this.settings.leaseDuration();
		body.append("<h2>Workers holding leases</h2><table id=\"lease-holders\"><thead><tr><th>Worker</th>")
			.append("<th>Running</th><th>Kinds</th><th>Queues</th><th>Last heartbeat (about)</th><th>Lease until</th>")
			.append("</tr></thead><tbody>");
		for (LeaseHolder holder : this.operations.leaseHolders()) {
			body.append("<tr data-worker=\"").append(Html.escape(holder.owner())).append("\"><td>")
				.append(Html.escape(holder.owner())).append("</td><td class=\"n\">").append(holder.running())
				.append("</td><td>").append(Html.escape(String.join(", ", holder.kinds()))).append("</td><td>")
				.append(Html.escape(String.join(", ", holder.queues()))).append("</td><td>")
				.append(Html.time(holder.leaseExpiresAt().minus(lease))).append("</td><td>")
				.append(Html.time(holder.leaseExpiresAt())).append("</td></tr>");
		}
		body.append("</tbody></table><p class=\"muted\">The database knows a worker by the leases it holds: one running ")
			.append("nothing is not listed. Its heartbeat renews every lease to now + ").append(Html.age(lease))
			.append(".</p>");
		return html(HttpStatus.OK, Html.page(base, "workers", "Workers", body.toString(), ""));
	}

	@GetMapping("/confirm")
	ResponseEntity<String> confirm(HttpServletRequest request, @RequestParam String action,
			@RequestParam String target) {
		String base = base(request);
		DashboardAction known = DashboardAction.of(action)
			.orElseThrow(() -> new IllegalArgumentException("Unknown action '" + action + "'"));
		Optional<String> refusal = this.actions.refusal(request);
		if (refusal.isPresent()) {
			return refused(request, known, target, refusal.get());
		}
		String body = "<h1>" + Html.escape(known.label()) + " " + Html.escape(target) + "?</h1>"
				+ "<form method=\"post\" id=\"confirm-form\" action=\"" + Html.escape(base + "/actions/" + known.path())
				+ "\">" + this.actions.formFields(request) + "<input type=\"hidden\" name=\"target\" value=\""
				+ Html.escape(target) + "\"><input type=\"hidden\" name=\"confirmed\" value=\"true\">"
				+ "<button id=\"confirm\">Yes, " + Html.escape(known.label().toLowerCase(Locale.ROOT)) + "</button> "
				+ "<a id=\"cancel-confirm\" href=\"" + Html.escape(returnUrl(base, known, target)) + "\">No, go back</a>"
				+ "</form>";
		return html(HttpStatus.OK, Html.page(base, "", "Confirm", body, ""));
	}

	@PostMapping("/actions/{action}")
	ResponseEntity<String> act(HttpServletRequest request, @PathVariable String action, @RequestParam String target,
			@RequestParam(required = false) @Nullable String confirmed,
			@RequestParam(name = DashboardActions.TOKEN_PARAMETER, required = false) @Nullable String token) {
		String base = base(request);
		DashboardAction known = DashboardAction.of(action)
			.orElseThrow(() -> new IllegalArgumentException("Unknown action '" + action + "'"));
		Optional<String> refusal = this.actions.refusal(request);
		if (refusal.isPresent()) {
			return refused(request, known, target, refusal.get());
		}
		if (!this.actions.tokenMatches(request, token)) {
			return refused(request, known, target, "The form's token is missing or stale: reload the page.");
		}
		if (known.destructive() && !"true".equals(confirmed)) {
			return redirect(base + "/confirm?action=" + known.path() + "&target=" + Html.url(target));
		}
		String outcome = perform(known, target);
		this.actions.log(request, known.path(), target, outcome);
		request.getSession(true).setAttribute(FLASH, known.label() + " " + target + ": " + outcome);
		return redirect(returnUrl(base, known, target));
	}

	private String perform(DashboardAction action, String target) {
		return switch (action) {
			case RETRY -> this.jobQueue.retry(jobId(target)) ? "put back to available" : "not dead or cancelled: unchanged";
			case CANCEL -> this.jobQueue.cancel(jobId(target)) ? "cancelled (or asked to cancel while running)"
					: "already finished: unchanged";
			case DISCARD -> this.operations.discard(jobId(target)) ? "discarded" : "not dead: unchanged";
			case RETRY_DEAD -> this.operations.retryDead(target) + " dead job(s) put back to available";
			case PAUSE -> {
				requireKnownQueue(target, false);
				this.operations.pause(target);
				yield "paused on every node";
			}
			case RESUME -> {
				requireKnownQueue(target, true);
				this.operations.resume(target);
				yield "resumed on every node";
			}
		};
	}

	// as the actuator endpoint: a made-up queue name would add a row; a paused one may always be resumed
	private void requireKnownQueue(String queue, boolean orPaused) {
		if (!this.settings.queues().containsKey(queue)
				&& !(orPaused && this.operations.pausedQueues().contains(queue))) {
			throw new IllegalArgumentException("Queue '" + queue + "' is not configured (pgqueue.queues)");
		}
	}

	private static JobId jobId(String target) {
		try {
			long id = Long.parseLong(target);
			if (id > 0) {
				return JobId.of(id);
			}
		}
		catch (NumberFormatException ex) {
			// refused below
		}
		throw new IllegalArgumentException("'" + target + "' is not a job id");
	}

	private static String returnUrl(String base, DashboardAction action, String target) {
		return switch (action) {
			case RETRY, CANCEL -> base + "/jobs/" + Html.url(target);
			case DISCARD -> base + "/jobs?state=dead";
			case RETRY_DEAD -> base + "/dead";
			case PAUSE, RESUME -> base;
		};
	}

	private ResponseEntity<String> refused(HttpServletRequest request, DashboardAction action, String target,
			String reason) {
		this.actions.logRefused(request, action.path(), target, reason);
		String body = "<h1>Refused</h1><p class=\"error\" id=\"refused\">" + Html.escape(reason) + "</p>";
		return html(HttpStatus.FORBIDDEN, Html.page(base(request), "", "Refused", body, ""));
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ResponseEntity<String> badRequest(HttpServletRequest request, IllegalArgumentException ex) {
		String body = "<h1>Bad request</h1><p class=\"error\" id=\"bad-request\">" + Html.escape(ex.getMessage()) + "</p>";
		return html(HttpStatus.BAD_REQUEST, Html.page(base(request), "", "Bad request", body, ""));
	}

	private String actionButton(HttpServletRequest request, DashboardAction action, String target) {
		String base = base(request);
		String id = "action-" + action.path();
		if (action.destructive()) {
			return "<a class=\"action\" id=\"" + id + "-" + Html.escape(target) + "\" href=\""
					+ Html.escape(base + "/confirm?action=" + action.path() + "&target=" + Html.url(target)) + "\"><button>"
					+ Html.escape(action.label()) + "…</button></a>";
		}
		return "<form class=\"inline\" method=\"post\" action=\"" + Html.escape(base + "/actions/" + action.path())
				+ "\">" + this.actions.formFields(request) + "<input type=\"hidden\" name=\"target\" value=\""
				+ Html.escape(target) + "\"><button class=\"action\" id=\"" + id + "-" + Html.escape(target) + "\">"
				+ Html.escape(action.label()) + "</button></form>";
	}

	private String jobsUrl(String base, JobListing listing) {
		List<String> params = new ArrayList<>();
		if (listing.state() != null) {
			params.add("state=" + listing.state().dbValue());
		}
		if (listing.queue() != null) {
			params.add("queue=" + Html.url(listing.queue()));
		}
		if (listing.kind() != null) {
			params.add("kind=" + Html.url(listing.kind()));
		}
		if (listing.before() != null) {
			params.add("before=" + listing.before().value());
		}
		return base + "/jobs" + (params.isEmpty() ? "" : "?" + String.join("&", params));
	}

	private String refreshScript() {
		long millis = Math.max(1000, this.properties.getRefreshInterval().toMillis());
		return """
				(function () {
				  function tick() {
				    fetch(location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
				      .then(function (r) { return r.ok ? r.text() : null; })
				      .then(function (text) {
				        if (!text) { return; }
				        var fresh = new DOMParser().parseFromString(text, 'text/html').getElementById('live');
				        var old = document.getElementById('live');
				        if (fresh && old) { old.replaceWith(document.importNode(fresh, true)); }
				      })
				      .catch(function () {})
				      .finally(function () { setTimeout(tick, %d); });
				  }
				  setTimeout(tick, %d);
				})();
				""".formatted(millis, millis);
	}

	private String flash(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session == null) {
			return "";
		}
		Object message = session.getAttribute(FLASH);
		if (message == null) {
			return "";
		}
		session.removeAttribute(FLASH);
		return "<p class=\"flash\" id=\"flash\">" + Html.escape(message) + "</p>";
	}

	private int pageSize() {
		return Math.max(1, Math.min(JobListing.MAX_LIMIT, this.properties.getPageSize()));
	}

	private String base(HttpServletRequest request) {
		String path = this.properties.getPath();
		if (path.endsWith("/")) {
			path = path.substring(0, path.length() - 1);
		}
		return request.getContextPath() + path;
	}

	private static String prettyJson(String json) {
		try {
			return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json));
		}
		catch (RuntimeException ex) {
			return json;
		}
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	private static void cell(StringBuilder body, String cssClass, String value) {
		body.append("<td class=\"n ").append(cssClass).append("\">").append(value).append("</td>");
	}

	private static void row(StringBuilder body, String label, String valueHtml) {
		body.append("<tr><th>").append(label).append("</th><td>").append(valueHtml.isEmpty() ? "—" : valueHtml)
			.append("</td></tr>");
	}

	private static ResponseEntity<String> html(HttpStatus status, String page) {
		return ResponseEntity.status(status)
			.contentType(HTML)
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.header("X-Content-Type-Options", "nosniff")
			.header("Content-Security-Policy",
					"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; "
							+ "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'")
			.body(page);
	}

	private static ResponseEntity<String> redirect(String location) {
		return ResponseEntity.status(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION, location).build();
	}

}
