package dev.enphaseetl;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;

import dev.enphaseetl.testing.floors.gateway.Middle;
import dev.enphaseetl.testing.floors.model.Bottom;
import dev.enphaseetl.testing.floors.pipeline.Top;

/**
 * The packages form floors and every dependency points down (docs/architecture.md): a package may use its own
 * classes and those of lower floors, never a package above it or beside it on the same floor. Checked on the
 * compiled classes of {@code src/main/java}, so a fully qualified name used inline counts like an import.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.enphaseetl";

    /** The floors, bottom first, as docs/architecture.md draws them. */
    static final List<List<String>> FLOORS = List.of(
            List.of("model"),
            List.of("config", "delivery", "health"),
            List.of("render", "auth"),
            List.of("parse"),
            List.of("gateway", "cloud", "spool", "sink.file", "sink.influx", "sink.jdbc"),
            List.of("sink"),
            List.of("ledger", "pipeline", "history", "central"),
            List.of("status"),
            List.of("ops", "simulator", "web"),
            List.of("cli"));

    /**
     * The floors as an ArchUnit rule for the packages under {@code root}. Every class must be in a package of a
     * floor; with {@code optionalFloors} a package of {@link #FLOORS} may be missing (the self-check's fixture).
     */
    static LayeredArchitecture floors(String root, boolean optionalFloors) {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .withOptionalLayers(optionalFloors)
                .ensureAllClassesAreContainedInArchitecture();
        for (List<String> floor : FLOORS) {
            for (String pkg : floor) {
                rule = rule.layer(pkg).definedBy(root + "." + pkg);
            }
        }
        for (int i = 0; i < FLOORS.size(); i++) {
            List<String> above = new ArrayList<>();
            FLOORS.subList(i + 1, FLOORS.size()).forEach(above::addAll);
            for (String pkg : FLOORS.get(i)) {
                rule = above.isEmpty()
                        ? rule.whereLayer(pkg).mayNotBeAccessedByAnyLayer()
                        : rule.whereLayer(pkg).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
            }
        }
        return rule;
    }

    @Test
    void everyDependencyOfTheApplicationPointsDown() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
        assertThat(main).as("classes of src/main/java found").hasSizeGreaterThan(100);
        floors(ROOT, false).check(main);
    }

    @Test
    void downwardImportsPass() {
        JavaClasses fixture = new ClassFileImporter().importClasses(Bottom.class, Middle.class, Top.class);
        floors(ROOT + ".testing.floors", true).check(fixture);
    }

    @Test
    void anUpwardOrSidewaysImportFails() {
        JavaClasses fixture = new ClassFileImporter().importPackages(ROOT + ".testing.floors");
        assertThatThrownBy(() -> floors(ROOT + ".testing.floors", true).check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("testing.floors.model.UpwardEdge")
                .hasMessageContaining("testing.floors.spool.SidewaysEdge")
                .message().doesNotContain("Method <" + Top.class.getName() + ".name()>");
    }

    @Test
    void aPackageWithoutAFloorFails() {
        JavaClasses unmapped = new ClassFileImporter().importClasses(ArchitectureTest.class);
        assertThatThrownBy(() -> floors(ROOT, true).check(unmapped)).isInstanceOf(AssertionError.class)
                .hasMessageContaining(ArchitectureTest.class.getName());
    }
}
