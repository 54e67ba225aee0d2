package io.github.pgqueue.autoconfigure.handler;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.pgqueue.JobContext;
import io.github.pgqueue.JobHandler;
import io.github.pgqueue.JobKinds;
import io.github.pgqueue.PeriodicJob;
import io.github.pgqueue.autoconfigure.CronSchedule;
import io.github.pgqueue.execute.HandlerInvoker;
import io.github.pgqueue.execute.HandlerRegistration;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link JobHandler} methods on every bean as it is initialized (on the target class, so
 * proxied beans such as {@code @Transactional} ones work, and invoked through the proxy), and fails
 * the bean's initialization, naming the method, when a handler cannot be served: two handlers for
 * one kind, no resolvable kind, or a parameter list other than a payload and an optional
 * {@link JobContext}.
 */
public class JobHandlerMethodRegistrar implements BeanPostProcessor {

	private final Map<String, HandlerRegistration> registrations = Collections.synchronizedMap(new LinkedHashMap<>());

	private final List<PeriodicJob> periodicJobs = Collections.synchronizedList(new ArrayList<>());

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (!AnnotationUtils.isCandidateClass(targetClass, JobHandler.class)) {
			return bean;
		}
		Map<Method, JobHandler> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<JobHandler>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, JobHandler.class));
		methods.forEach((method, annotation) -> register(bean, beanName, method, annotation));
		return bean;
	}

	/** @return the periodic jobs declared with {@code @JobHandler(cron = ...)} so far */
	public List<PeriodicJob> periodicJobs() {
		synchronized (this.periodicJobs) {
			return new ArrayList<>(this.periodicJobs);
		}
	}

	/** @return the handlers found so far, in discovery order */
	public List<HandlerRegistration> registrations() {
		synchronized (this.registrations) {
			return new ArrayList<>(this.registrations.values());
		}
	}

	private void register(Object bean, String beanName, Method method, JobHandler annotation) {
		String description = describe(method, beanName);
		ParameterPlan plan = ParameterPlan.of(method, description);
		String kind = resolveKind(annotation, plan, description);
		Method invocable;
		try {
			invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		}
		catch (IllegalStateException ex) {
			throw new BeanInitializationException(
					"@JobHandler method " + description + " cannot be invoked on its bean: " + ex.getMessage(), ex);
		}
		ReflectionUtils.makeAccessible(invocable);
		HandlerRegistration registration = new HandlerRegistration(kind, plan.payloadType(),
				invoker(bean, invocable, plan), description, timeout(annotation, description));
		synchronized (this.registrations) {
			HandlerRegistration previous = this.registrations.putIfAbsent(kind, registration);
			if (previous != null && !previous.description().equals(description)) {
				throw new BeanInitializationException("Two @JobHandler methods handle job kind '" + kind + "': "
						+ previous.description() + " and " + description + ". Each kind needs exactly one handler.");
			}
			if (previous == null && StringUtils.hasText(annotation.cron())) {
				this.periodicJobs.add(periodic(kind, annotation, description));
			}
		}
	}

	private static java.time.@org.jspecify.annotations.Nullable Duration timeout(JobHandler annotation,
			String description) {
		if (!StringUtils.hasText(annotation.timeout())) {
			return null;
		}
		java.time.Duration timeout;
		try {
			timeout = org.springframework.boot.convert.DurationStyle.detectAndParse(annotation.timeout().strip());
		}
		catch (IllegalArgumentException ex) {
			throw new BeanInitializationException("@JobHandler method " + description + " has timeout \""
					+ annotation.timeout() + "\", which is not a duration (for example \"30s\", \"10m\" or \"PT1H\")", ex);
		}
		if (timeout.isZero() || timeout.isNegative()) {
			throw new BeanInitializationException("@JobHandler method " + description + " has timeout \""
					+ annotation.timeout() + "\": it must be positive");
		}
		return timeout;
	}

	private static PeriodicJob periodic(String kind, JobHandler annotation, String description) {
		try {
			return new PeriodicJob(kind, kind, Map.of(), "default", CronSchedule.parse(annotation.cron(), annotation.zone()),
					annotation.missed());
		}
		catch (IllegalArgumentException ex) {
			throw new BeanInitializationException("@JobHandler method " + description + " has " + ex.getMessage(), ex);
		}
	}

	private static String resolveKind(JobHandler annotation, ParameterPlan plan, String description) {
		if (StringUtils.hasText(annotation.value())) {
			return annotation.value();
		}
		Optional<String> fromPayload = (plan.payloadType() instanceof Class<?> payloadClass)
				? JobKinds.kindOf(payloadClass) : Optional.empty();
		return fromPayload.filter(StringUtils::hasText)
			.orElseThrow(() -> new BeanInitializationException("@JobHandler method " + description
					+ " has no resolvable job kind: give it as @JobHandler(\"kind\") or annotate the payload type "
					+ plan.payloadType().getTypeName() + " with @Job(\"kind\")"));
	}

	private static HandlerInvoker invoker(Object bean, Method method, ParameterPlan plan) {
		return (payload, context) -> {
			Object[] args = plan.arguments(payload, context);
			try {
				method.invoke(bean, args);
			}
			catch (InvocationTargetException ex) {
				Throwable cause = ex.getTargetException();
				if (cause instanceof Exception exception) {
					throw exception;
				}
				throw (Error) cause;
			}
		};
	}

	private static String describe(Method method, String beanName) {
		return ClassUtils.getQualifiedMethodName(method) + "("
				+ String.join(", ", java.util.Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toList())
				+ ") of bean '" + beanName + "'";
	}

	/**
	 * Where the payload and the context go in a handler's parameter list.
	 *
	 * @param count the number of parameters
	 * @param payloadIndex the payload's position, or -1 when the handler takes none
	 * @param contextIndex the context's position, or -1
	 * @param payloadType the payload's (generic) type
	 */
	record ParameterPlan(int count, int payloadIndex, int contextIndex, Type payloadType) {

		static ParameterPlan of(Method method, String description) {
			Class<?>[] types = method.getParameterTypes();
			int payloadIndex = -1;
			int contextIndex = -1;
			for (int i = 0; i < types.length; i++) {
				if (JobContext.class.isAssignableFrom(types[i])) {
					if (contextIndex >= 0) {
						throw unservable(description, "it declares more than one JobContext parameter");
					}
					if (!types[i].equals(JobContext.class)) {
						throw unservable(description, "its context parameter must be of type JobContext, not "
								+ types[i].getName());
					}
					contextIndex = i;
				}
				else {
					if (payloadIndex >= 0) {
						throw unservable(description, "it declares more than one payload parameter ("
								+ types[payloadIndex].getSimpleName() + " and " + types[i].getSimpleName() + ")");
					}
					payloadIndex = i;
				}
			}
			if (payloadIndex < 0) {
				throw unservable(description, "it declares no payload parameter");
			}
			Type payloadType = method.getGenericParameterTypes()[payloadIndex];
			if (types[payloadIndex].isPrimitive()) {
				payloadType = ClassUtils.resolvePrimitiveIfNecessary(types[payloadIndex]);
			}
			return new ParameterPlan(types.length, payloadIndex, contextIndex, payloadType);
		}

		Object[] arguments(@Nullable Object payload, JobContext context) {
			Object[] args = new Object[this.count];
			if (this.payloadIndex >= 0) {
				args[this.payloadIndex] = payload;
			}
			if (this.contextIndex >= 0) {
				args[this.contextIndex] = context;
			}
			return args;
		}

		private static BeanInitializationException unservable(String description, String reason) {
			return new BeanInitializationException("@JobHandler method " + description
					+ " has a parameter list pgqueue cannot serve: " + reason
					+ ". A handler takes the payload and, optionally, a JobContext.");
		}

	}

}
