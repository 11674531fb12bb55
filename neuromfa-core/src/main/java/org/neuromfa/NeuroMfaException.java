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
        super(oneLine(file == null ? message : file + ": " + message), cause);
        this.file = file;
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
}
