package dev.enphaseetl.cloud;

/** The 15-minute telemetry series the archive takes from v4, with their path below the system and energy field. */
public enum CloudKind {
    PRODUCTION("production", "/telemetry/production_meter", "wh_del"), CONSUMPTION("consumption",
            "/telemetry/consumption_meter", "enwh"), IMPORT("import", "/energy_import_telemetry",
                    "wh_imported"), EXPORT("export", "/energy_export_telemetry", "wh_exported");

    private final String tag;
    private final String path;
    private final String energyField;

    CloudKind(String tag, String path, String energyField) {
        this.tag = tag;
        this.path = path;
        this.energyField = energyField;
    }

    /** The value of the {@code kind} tag of {@code cloud_interval}. */
    public String tag() {
        return tag;
    }

    /** Path below {@code /systems/{system_id}}. */
    public String path() {
        return path;
    }

    public String energyField() {
        return energyField;
    }
}
