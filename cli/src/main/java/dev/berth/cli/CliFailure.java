package dev.berth.cli;

/** Why a command stopped: one sentence for stderr, and the exit code that classifies it. */
public final class CliFailure extends RuntimeException {
    private final ExitCode code;

    public CliFailure(ExitCode code, String sentence) {
        super(sentence);
        this.code = code;
    }

    public static CliFailure usage(String sentence) {
        return new CliFailure(ExitCode.USAGE, sentence);
    }

    public ExitCode code() {
        return code;
    }
}
