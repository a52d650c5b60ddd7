package dev.enphaseetl.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;

import picocli.CommandLine.Command;

/** {@code enphase-etl}: without a subcommand, the pipeline ({@code run}; {@link EnphaseEtl#run} adds it). */
@TopCommand
@Command(name = EnphaseEtl.NAME, mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Polls Enphase gateways and archives their readings; without a subcommand: run.", subcommands = {
        RunCommand.class, ConvertCommand.class, ValidateCommand.class, SimulateCommand.class,
        ReplayCommand.class, TokenCommand.class, DoctorCommand.class, BackfillCommand.class})
public class EnphaseEtlCommand {}
