package io.github.reactivestorage.autoconfigure;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

import io.github.reactivestorage.ReactiveStorage;

/**
 * Registers one {@link ReactiveStorage} bean per configured mount, named after the mount; the
 * default mount (configured, or the only one) is {@code @Primary}. A bean the application already
 * defines under a mount's name takes its place.
 */
class StorageMountsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

	/** The name of the {@link StorageMountFactory} bean the mounts are created by. */
	static final String STORAGE_MOUNT_FACTORY_BEAN = "storageMountFactory";

	private @Nullable Environment environment;

	private @Nullable BeanFactory beanFactory;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		StorageProperties properties = bind(this.environment);
		String defaultMount = defaultMount(properties);
		for (Map.Entry<String, MountProperties> mount : properties.getMounts().entrySet()) {
			String name = mount.getKey();
			if (registry.containsBeanDefinition(name)) {
				continue;
			}
			// A factory-method definition (not an instance supplier) so that AOT processing can generate it
			RootBeanDefinition definition = new RootBeanDefinition();
			definition.setTargetType(ReactiveStorage.class);
			definition.setFactoryBeanName(STORAGE_MOUNT_FACTORY_BEAN);
			definition.setFactoryMethodName("create");
			definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
			definition.setPrimary(name.equals(defaultMount));
			definition.setDestroyMethodName(AbstractBeanDefinition.INFER_METHOD);
			definition.setDescription("Storage mount '" + name + "' (storage.mounts." + name + ")");
			registry.registerBeanDefinition(name, definition);
		}
	}

	static StorageProperties bind(@Nullable Environment environment) {
		if (environment == null) {
			return new StorageProperties();
		}
		return Binder.get(environment).bind("storage", Bindable.of(StorageProperties.class))
			.orElseGet(StorageProperties::new);
	}

	/**
	 * The default mount's name, or {@code null} when there are several mounts and none is configured.
	 * @throws MountConfigurationException if {@code default-mount} names no mount
	 */
	static @Nullable String defaultMount(StorageProperties properties) {
		String configured = properties.getDefaultMount();
		if (configured != null && !configured.isBlank()) {
			if (!properties.getMounts().containsKey(configured)) {
				throw new MountConfigurationException(
						"storage.default-mount is '" + configured + "' but no mount has that name; the mounts are "
								+ properties.getMounts().keySet(),
						"Set storage.default-mount to one of " + properties.getMounts().keySet()
								+ " or remove it.");
			}
			return configured;
		}
		return (properties.getMounts().size() == 1) ? properties.getMounts().keySet().iterator().next() : null;
	}

}
