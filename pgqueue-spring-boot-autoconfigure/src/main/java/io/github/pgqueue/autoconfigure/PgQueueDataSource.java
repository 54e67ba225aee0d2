package io.github.pgqueue.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Qualifier for the {@link javax.sql.DataSource} pgqueue uses, in an application with several (as
 * Spring Boot's {@code @LiquibaseDataSource} and {@code @QuartzDataSource} do). Without one, pgqueue
 * uses the only DataSource, or the {@code @Primary} one; when none of these can be chosen, the
 * application fails to start, saying which choice to make.
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface PgQueueDataSource {

}
