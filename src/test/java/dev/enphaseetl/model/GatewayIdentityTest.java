package dev.enphaseetl.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What a gateway's configuration adds to its readings, and what a sink with fixed columns reads back from them. */
class GatewayIdentityTest {

    @Test
    void theNameBecomesATagAndNeverReplacesASchemaTag() {
        Map<String, String> tags = GatewayIdentity.readingTags(" roof ", Map.of("site", "home", "gateway", "evil"));
        assertThat(tags).containsEntry(GatewayIdentity.NAME_TAG, "roof");
        List<Reading> r = GatewayIdentity.withTags(
                List.of(Reading.of("system", 1).tag("gateway", "121").field("production_w", 1.0).build()), tags);
        assertThat(r.get(0).tags()).containsEntry("gateway", "121").containsEntry("site", "home")
                .containsEntry("gateway_name", "roof");
        assertThat(GatewayIdentity.readingTags(null, Map.of())).isEmpty();
        assertThat(GatewayIdentity.readingTags("  ", Map.of())).isEmpty();
    }

    @Test
    void identitiesComeFromTheTagsOutsideTheSchema() {
        List<Reading> readings = List.of(
                Reading.of("inverter", 1).tag("gateway", "121").tag("serial", "4821").tag("site", "home")
                        .tag("gateway_name", "roof").field("watts", 1.0).build(),
                Reading.of("system", 1).tag("gateway", "999").field("production_w", 1.0).build(),
                Reading.of("not_in_schema", 1).tag("gateway", "777").field("x", 1.0).build());
        assertThat(GatewayIdentity.of(readings)).containsOnlyKeys("121", "999");
        GatewayIdentity roof = GatewayIdentity.of(readings).get("121");
        assertThat(roof.name()).isEqualTo("roof");
        assertThat(roof.tags()).containsExactly(Map.entry("site", "home"));
        assertThat(roof.tagsText()).isEqualTo("site=home");
        assertThat(GatewayIdentity.of(readings).get("999").name()).isNull();
    }
}
