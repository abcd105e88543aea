package dev.chirp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code chirp} command and its subcommands. */
@Command(name = "chirp",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "A realtime, multi-user, persistent feed.",
        subcommands = {ServeCommand.class, TailCommand.class, PostCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:could not start, or failed while running (the message says why)",
            "2:bad flags or arguments"})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Creates the top-level command; picocli fills in its options when it parses. */
    public Main() {
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        Logging.configure(args);
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler((problem, args) -> {
                    CommandLine command = problem.getCommandLine();
                    command.getErr().println("chirp: " + problem.getMessage());
                    command.getErr().println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more.");
                    return 2;
                })
                .setExecutionExceptionHandler((failure, commandLine, parsed) -> {
                    commandLine.getErr().println("chirp: " + failure.getMessage());
                    return 1;
                });
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reads the version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"chirp " + (version == null ? "(development build)" : version),
                "Java " + Runtime.version()};
        }
    }
}
