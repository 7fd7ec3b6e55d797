package io.weir.sql.catalog;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Hides secrets in options wherever Weir shows them (DESCRIBE, logs): values of keys that name a
 * password, secret, token, credential or key material, and JAAS configurations.
 */
public final class OptionMasking {
    public static final String MASK = "******";
    private static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "secret", "token", "credential",
            "credentials", "api-key", "apikey", "api.key", "sasl.jaas.config", "private-key", "private.key",
            "ssl.key.password", "keystore.password", "truststore.password", "access-key", "access.key",
            // Kafka's PEM client key given inline ('properties.ssl.keystore.key')
            "keystore.key");

    private OptionMasking() {
    }

    public static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(lower::contains);
    }

    public static Map<String, String> mask(Map<String, String> options) {
        return mask(options, key -> false);
    }

    /** Masks the options that look secret or that {@code declaredSecret} says were declared secret. */
    public static Map<String, String> mask(Map<String, String> options, java.util.function.Predicate<String> declaredSecret) {
        Map<String, String> masked = new LinkedHashMap<>();
        options.forEach((key, value) -> masked.put(key, isSecret(key) || declaredSecret.test(key) ? MASK : value));
        return masked;
    }
}
