package org.neuromfa;

/**
 * The one exception family of NeuroMFA: a problem with the user's input (a file, a model, an option)
 * that the command line reports as a single line, naming the file and the problem, with exit code 2.
 *
 * <p>Programming errors stay ordinary unchecked exceptions; only problems a user can fix are
 * reported through this type.
 */
public class NeuroMfaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;

    /** A problem with no particular file (for example an invalid option combination). */
    public NeuroMfaException(String message) {
        this(null, message, null);
    }

    public NeuroMfaException(String file, String message) {
        this(file, message, null);
    }

    public NeuroMfaException(String file, String message, Throwable cause) {
        super(file == null ? message : file + ": " + message, cause);
        this.file = file;
    }

    /** The file (path or URL) the problem is in, or null. */
    public String file() {
        return file;
    }
}
