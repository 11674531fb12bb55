package org.neuromfa;

import java.io.Serializable;
import java.util.function.UnaryOperator;

/**
 * The text of a message to the user, on one line, that may name settings of the library. The library
 * names a setting by its name among the results' parameters ({@code nodes_per_layer},
 * {@code threshold}, {@code radius_range}, ...); a front end names it its own way (the command line by
 * its flag, {@code --nodes-per-layer}) by {@link #render}ing the message. Settings are marked in the
 * text with {@link #setting}, so a message can be put together by concatenation and still be
 * rendered by every front end.
 */
public final class Message implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Private-use characters around a setting's name: never part of the library's own text. */
    private static final char OPEN = '\uE000';
    private static final char CLOSE = '\uE001';

    private final String text;

    private Message(String text) {
        this.text = text;
    }

    /** The message {@code text}, made one line (see {@link NeuroMfaException#oneLine}). */
    public static Message of(String text) {
        return new Message(NeuroMfaException.oneLine(text));
    }

    /** The setting {@code name} (as among the results' parameters), to be concatenated into a message. */
    public static String setting(String name) {
        return OPEN + name + CLOSE;
    }

    /** This message after {@code prefix} (for example the seed or the file it concerns). */
    public Message prefixed(String prefix) {
        return new Message(NeuroMfaException.oneLine(prefix) + (text == null ? "" : text));
    }

    /** The text with each setting named by {@code names} (given the library's name of the setting). */
    public String render(UnaryOperator<String> names) {
        if (text == null || text.indexOf(OPEN) < 0) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf(OPEN, i);
            int close = open < 0 ? -1 : text.indexOf(CLOSE, open + 1);
            if (close < 0) {
                b.append(text, i, text.length());
                break;
            }
            b.append(text, i, open).append(names.apply(text.substring(open + 1, close)));
            i = close + 1;
        }
        return b.toString();
    }

    /** The text in the library's terms: each setting by its own name. */
    @Override
    public String toString() {
        return render(UnaryOperator.identity());
    }
}
