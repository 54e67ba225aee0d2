package io.github.pgqueue.autoconfigure.handler;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
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

import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link JobHandler} methods on every bean definition once the singletons exist, as Spring's
 * {@code EventListenerMethodProcessor} finds {@code @EventListener} methods: by the bean's type (the
 * target class of a proxy, so {@code @Transactional} beans work and are invoked through the proxy),
 * without creating beans, so that a handler on a {@code @Lazy} bean is found too; that bean is created
 * when its first job runs. Fails the start, naming the method, when a handler cannot be served: two
 * handlers for one kind, no resolvable kind, or a parameter list other than a payload and an optional
 * {@link JobContext}.
 */
public class JobHandlerMethodRegistrar implements SmartInitializingSingleton, BeanFactoryAware {

	private final Map<String, HandlerRegistration> registrations = new LinkedHashMap<>();

	private final List<PeriodicJob> periodicJobs = new ArrayList<>();

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	private boolean discovered;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
			this.beanFactory = listable;
		}
	}

	@Override
	public void afterSingletonsInstantiated() {
		discover();
	}

	/** @return the periodic jobs declared with {@code @JobHandler(cron = ...)} */
	public synchronized List<PeriodicJob> periodicJobs() {
		discover();
		return new ArrayList<>(this.periodicJobs);
	}

	/** @return the handlers found, in bean definition order */
	public synchronized List<HandlerRegistration> registrations() {
		discover();
		return new ArrayList<>(this.registrations.values());
	}

	private synchronized void discover() {
		ConfigurableListableBeanFactory beanFactory = this.beanFactory;
		if (this.discovered || beanFactory == null) {
			return;
		}
		this.discovered = true;
		for (String beanName : beanFactory.getBeanNamesForType(Object.class)) {
			if (ScopedProxyUtils.isScopedTarget(beanName)) {
				continue;
			}
			Class<?> type;
			try {
				type = AutoProxyUtils.determineTargetClass(beanFactory, beanName);
			}
			catch (RuntimeException ex) {
				// an unresolvable bean type: nothing to find on it (as EventListenerMethodProcessor does)
				continue;
			}
			if (type == null || !AnnotationUtils.isCandidateClass(type, JobHandler.class)) {
				continue;
			}
			Class<?> targetClass = ClassUtils.getUserClass(type);
			Map<Method, JobHandler> methods = MethodIntrospector.selectMethods(targetClass,
					(MethodIntrospector.MetadataLookup<JobHandler>) (method) -> AnnotatedElementUtils
						.findMergedAnnotation(method, JobHandler.class));
			try {
				methods.forEach((method, annotation) -> register(beanFactory, beanName, method, annotation));
			}
			catch (BeanInitializationException ex) {
				throw new BeanCreationException(beanName, "Invalid @JobHandler on bean '" + beanName + "'", ex);
			}
		}
	}

	private void register(ConfigurableListableBeanFactory beanFactory, String beanName, Method method,
			JobHandler annotation) {
		String description = describe(method, beanName);
		ParameterPlan plan = ParameterPlan.of(method, description);
		String kind = resolveKind(annotation, plan, description);
		BeanMethod target = new BeanMethod(beanFactory, beanName, method, description);
		if (beanFactory.containsSingleton(beanName)) {
			// created already: check now that the method can be invoked on it
			target.resolve();
		}
		HandlerRegistration registration = new HandlerRegistration(kind, plan.payloadType(), invoker(target, plan),
				description, timeout(annotation, description));
		HandlerRegistration previous = this.registrations.putIfAbsent(kind, registration);
		if (previous != null && !previous.description().equals(description)) {
			throw new BeanInitializationException("Two @JobHandler methods handle job kind '" + kind + "': "
					+ previous.description() + " and " + description + ". Each kind needs exactly one handler.");
		}
		if (previous == null && StringUtils.hasText(annotation.cron())) {
			this.periodicJobs.add(periodic(kind, annotation, description));
		}
	}

	/**
	 * A handler method and its bean, looked up by name when a job runs (so a lazy bean is created then),
	 * with the method to call on the bean's (possibly proxy) class.
	 */
	private static final class BeanMethod {

		private final ConfigurableListableBeanFactory beanFactory;

		private final String beanName;

		private final Method method;

		private final String description;

		private volatile @Nullable Method invocable;

		private volatile @Nullable Class<?> invocableOn;

		BeanMethod(ConfigurableListableBeanFactory beanFactory, String beanName, Method method, String description) {
			this.beanFactory = beanFactory;
			this.beanName = beanName;
			this.method = method;
			this.description = description;
		}

		Object resolve() {
			Object bean = this.beanFactory.getBean(this.beanName);
			if (this.invocableOn != bean.getClass()) {
				Method invocable;
				try {
					invocable = AopUtils.selectInvocableMethod(this.method, bean.getClass());
				}
				catch (IllegalStateException ex) {
					throw new BeanInitializationException("@JobHandler method " + this.description
							+ " cannot be invoked on its bean: " + ex.getMessage(), ex);
				}
				ReflectionUtils.makeAccessible(invocable);
				this.invocable = invocable;
				this.invocableOn = bean.getClass();
			}
			return bean;
		}

		Method invocable() {
			Method invocable = this.invocable;
			if (invocable == null) {
				throw new IllegalStateException("not resolved: " + this.description);
			}
			return invocable;
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

	private static HandlerInvoker invoker(BeanMethod target, ParameterPlan plan) {
		return (payload, context) -> {
			Object bean = target.resolve();
			Object[] args = plan.arguments(payload, context);
			try {
				target.invocable().invoke(bean, args);
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
