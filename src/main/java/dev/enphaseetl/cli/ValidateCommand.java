package dev.enphaseetl.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.enphaseetl.ops.RouteValidator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code enphase-etl validate}: the route validator, without starting anything. */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check route files (YAML syntax, ids, beans, endpoints, config keys) without starting them;"
        + " prints file:line and the problem. Exit 0 when all are fine, 1 on problems, 2 on bad usage.")
public class ValidateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ROUTES", arity = "0..*", description = "Route files or folders (default: $ENPHASE_ROUTES_DIR, else routes/).")
    List<String> paths;

    @Override
    public Integer call() {
        List<String> args = paths != null && !paths.isEmpty()
                ? paths
                : List.of(System.getenv().getOrDefault("ENPHASE_ROUTES_DIR", "routes"));
        return RouteValidator.run(args.toArray(String[]::new), System.out, System.err);
    }
}
