package org.neuromfa;

/**
 * The one exception family of NeuroMFA: a problem with the user's input (a file, a model, an option)
 * that the command line reports as a single line, naming the file and the problem, with exit code 2.
 * The message is in the library's terms: settings are named as among the results' parameters
 * ({@link Message#setting}); {@link #message()} lets a front end name them its own way.
 *
 * <p>Programming errors stay ordinary unchecked exceptions; only problems a user can fix are
 * reported through this type.
 */
public class NeuroMfaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final Message message;

    /** A problem with no particular file (for example an invalid option combination). */
    public NeuroMfaException(String message) {
        this(null, message, null);
    }

    public NeuroMfaException(String file, String message) {
        this(file, message, null);
    }

    public NeuroMfaException(String file, String message, Throwable cause) {
        this(file, Message.of(file == null ? message : file + ": " + message), cause);
    }

    /** A problem whose whole message (including the file, when there is one) is {@code message}. */
    public NeuroMfaException(String file, Message message, Throwable cause) {
        super(message.toString(), cause);
        this.file = file;
        this.message = message;
    }

    /**
     * The text with control characters (line breaks, terminal escapes, C1 controls, the Unicode line
     * and paragraph separators) written as {@code \\u} and four hex digits. Messages quote names read from hostile
     * files (tensor names, pickle strings); escaping keeps them one line and unable to drive a terminal.
     */
    public static String oneLine(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            if (control && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (control) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** The file (path or URL) the problem is in, or null. */
    public String file() {
        return file;
    }

    /** The message, for a front end to render its own names of the settings it mentions. */
    public Message message() {
        return message;
    }
}
