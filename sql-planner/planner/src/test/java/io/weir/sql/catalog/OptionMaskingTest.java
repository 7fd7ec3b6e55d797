package io.weir.sql.catalog;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OptionMaskingTest {
    @Test
    void masksSecretLookingAndDeclaredSecretOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("connector", "kafka");
        options.put("properties.sasl.jaas.config", "org.apache...PlainLoginModule required password=\"x\";");
        options.put("properties.ssl.truststore.password", "changeit");
        options.put("properties.ssl.keystore.key", "-----BEGIN PRIVATE KEY-----...");
        options.put("properties.ssl.keystore.certificate.chain", "-----BEGIN CERTIFICATE-----...");
        options.put("api-token", "abc");
        options.put("signing", "k");
        options.put("topic", "clicks");
        Map<String, String> masked = OptionMasking.mask(options, key -> key.equals("signing"));
        assertThat(masked).containsEntry("connector", "kafka")
                .containsEntry("topic", "clicks")
                .containsEntry("properties.sasl.jaas.config", OptionMasking.MASK)
                .containsEntry("properties.ssl.truststore.password", OptionMasking.MASK)
                .containsEntry("properties.ssl.keystore.key", OptionMasking.MASK)
                .containsEntry("properties.ssl.keystore.certificate.chain", "-----BEGIN CERTIFICATE-----...")
                .containsEntry("api-token", OptionMasking.MASK)
                .containsEntry("signing", OptionMasking.MASK);
        assertThat(masked.keySet()).containsExactlyElementsOf(options.keySet());
    }
}
