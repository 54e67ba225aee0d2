package io.github.pgqueue.samples.jobservice.api;

import java.time.Duration;
import java.util.List;

import io.github.pgqueue.QueueFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers the errors of {@link JobsController} with RFC 9457 problems
 * ({@code application/problem+json}): {@code 400} naming the bad field for a submission rejected at
 * the edge or a body that cannot be read, {@code 404} for an unknown job, {@code 429} when the
 * queue's backlog is full, {@code 503} while the database is unreachable. Spring MVC's own errors
 * (415, 405, an unknown URL, ...) are problems too, through Spring Boot's
 * {@code spring.mvc.problemdetails.enabled}.
 */
@RestControllerAdvice(assignableTypes = JobsController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApiExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	/** The fields of a {@code POST /jobs} body. */
	private static final List<String> REQUEST_FIELDS = List.of("type", "payload", "maxAttempts", "idempotencyKey",
			"delaySeconds", "priority", "queue");

	/** How long a client is asked to wait after a {@code 429}. */
	private static final Duration QUEUE_FULL_RETRY_AFTER = Duration.ofSeconds(5);

	/** How long a client is asked to wait after a {@code 503}. */
	private static final Duration UNAVAILABLE_RETRY_AFTER = Duration.ofSeconds(10);

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidSubmission(InvalidSubmissionException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setTitle("Invalid job submission");
		if (ex.getField() != null) {
			problem.setProperty("field", ex.getField());
		}
		ex.getProperties().forEach(problem::setProperty);
		return ResponseEntity.badRequest().body(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> jobNotFound(JobNotFoundException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		problem.setTitle("Job not found");
		return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> queueFull(QueueFullException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
				ex.getMessage() + "; try again later");
		problem.setTitle("Queue full");
		problem.setProperty("queue", ex.getQueue());
		problem.setProperty("maxBacklog", ex.getMaxBacklog());
		return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(QUEUE_FULL_RETRY_AFTER.toSeconds()))
			.body(problem);
	}

	@ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessResourceException.class,
			RecoverableDataAccessException.class })
	ResponseEntity<ProblemDetail> databaseUnavailable(Exception ex) {
		logger.warn("Database unreachable: {}", ex.getMessage());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"the database is unreachable, so no job can be submitted or read now; try again later");
		problem.setTitle("Database unavailable");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(UNAVAILABLE_RETRY_AFTER.toSeconds()))
			.body(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unreadableBody(HttpMessageNotReadableException ex) {
		InvalidSubmissionException rejection = (ex.getMostSpecificCause() instanceof JacksonException jackson)
				? JsonErrors.rejection(jackson, "", REQUEST_FIELDS)
				: new InvalidSubmissionException(null, "the request body is missing or unreadable: send a JSON "
						+ "object with type and payload");
		return invalidSubmission(rejection);
	}

}
