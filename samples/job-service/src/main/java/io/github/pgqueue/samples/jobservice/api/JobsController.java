package io.github.pgqueue.samples.jobservice.api;

import java.net.URI;

import io.github.pgqueue.EnqueueResult;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobQueue;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /jobs} submits a job and {@code GET /jobs/{id}} shows one. A submission is checked in
 * full by {@link SubmissionValidator} before anything is enqueued; errors are problem details
 * ({@link ApiExceptionHandler}).
 */
@RestController
@RequestMapping("/jobs")
public class JobsController {

	private final JobQueue jobQueue;

	private final SubmissionValidator validator;

	private final JsonMapper json;

	public JobsController(JobQueue jobQueue, SubmissionValidator validator, JsonMapper json) {
		this.jobQueue = jobQueue;
		this.validator = validator;
		this.json = json;
	}

	/**
	 * Enqueues a job: {@code 201} with {@code {"id"}} and a {@code Location} for a new job,
	 * {@code 200} with {@code {"id","duplicate":true}} when its idempotency key already names one.
	 * @param request the body
	 * @return the job's id
	 */
	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	public ResponseEntity<SubmittedJob> submit(@RequestBody SubmitJobRequest request) {
		Submission submission = this.validator.validate(request);
		EnqueueResult result = enqueue(submission);
		long id = result.jobId().value();
		if (result.duplicate()) {
			return ResponseEntity.ok(SubmittedJob.duplicateOf(id));
		}
		return ResponseEntity.created(URI.create("/jobs/" + id)).body(SubmittedJob.created(id));
	}

	/**
	 * @param id a job's id
	 * @return the job as the database holds it
	 * @throws JobNotFoundException when there is no such job
	 */
	@GetMapping("/{id}")
	public JobView job(@PathVariable long id) {
		if (id < 1) {
			throw new JobNotFoundException(id);
		}
		JobInfo job = this.jobQueue.find(JobId.of(id)).orElseThrow(() -> new JobNotFoundException(id));
		return JobView.of(job, this.json.readTree(job.payload()));
	}

	private EnqueueResult enqueue(Submission submission) {
		try {
			return this.jobQueue.enqueue(submission.kind(), submission.payload(), submission.options());
		}
		catch (IllegalArgumentException ex) {
			// the queue's own checks at the edge; the validator is meant to have caught all of them
			throw new InvalidSubmissionException(null, String.valueOf(ex.getMessage()));
		}
	}

}
