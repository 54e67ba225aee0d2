package io.github.pgqueue.samples.jobservice.database;

/**
 * Which database the service uses and why, with what to set to use another; logged once the
 * service is ready.
 *
 * @param reason why this database was chosen
 * @param otherwise what to set to choose another
 */
public record DatabaseChoice(String reason, String otherwise) {

	static final String SET_URL = "set spring.datasource.url, spring.datasource.username and "
			+ "spring.datasource.password (or SPRING_DATASOURCE_URL, ...)";

}
