package dev.enphaseetl.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.enphaseetl.model.GatewayIdentity;
import dev.enphaseetl.parse.Converter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code enphase-etl convert}: captured gateway answers to line protocol or CSV, without the pipeline. */
@Command(name = "convert", mixinStandardHelpOptions = true, description = "Convert a folder of captured gateway answers (production.json, ivp/meters/readings, ...) to"
        + " line protocol (default) or CSV. Exit 0 when readings came out, 1 when none, 2 on bad usage.")
public class ConvertCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder of captured answers.")
    Path folder;
    @Option(names = "--csv", description = "CSV instead of line protocol.")
    boolean csv;
    @Option(names = "--out", paramLabel = "DIR", description = "Write to this folder instead of standard output: readings.lp, or with --csv one"
            + " <measurement>.csv per measurement.")
    Path out;
    @Option(names = "--plain-production-json", description = "Prefer production.json over production.json?details=1 when both were captured.")
    boolean plainProductionJson;
    @Option(names = "--serial", paramLabel = "SERIAL", description = "The gateway's serial, for the gateway tag, when"
            + " the folder has no info answer.")
    String serial;
    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "An extra tag on every reading (repeatable), as"
            + " enphase.gateways[n].tags adds.")
    Map<String, String> tags = new LinkedHashMap<>();
    @Option(names = "--name", paramLabel = "NAME", description = "The gateway's name, as enphase.gateways[n].name"
            + " gives it: the gateway_name tag of every reading (and the name column of gateways.csv with --csv --out).")
    String name;

    @Override
    public Integer call() {
        return Converter.run(folder, csv, plainProductionJson, serial, GatewayIdentity.readingTags(name, tags), out,
                System.out, System.err);
    }
}
