package io.pxewings.inventory.query;

import java.util.ArrayList;
import java.util.List;

import io.pxewings.inventory.validation.Fields;
import io.pxewings.inventory.validation.InvalidField;

/**
 * Reads the Kubernetes label selector grammar (k8s.io/apimachinery labels/selector.go):
 * <pre>
 * selector    ::= requirement ("," requirement)*
 * requirement ::= "!" KEY | KEY [ ("=" | "==" | "!=") VALUE | ("in" | "notin") "(" VALUE ("," VALUE)* ")" ]
 * </pre>
 * with whitespace allowed around tokens. Positions in messages count characters from 1.
 */
final class SelectorParser {

    static final String FIELD = "selector";

    private final String s;
    private int pos;

    SelectorParser(String s) {
        this.s = s;
    }

    List<Requirement> parse() {
        List<Requirement> out = new ArrayList<>();
        skipSpace();
        if (atEnd()) {
            return out;
        }
        while (true) {
            out.add(requirement());
            if (out.size() > LabelSelector.MAX_REQUIREMENTS) {
                throw error("has more than " + LabelSelector.MAX_REQUIREMENTS + " requirements");
            }
            skipSpace();
            if (atEnd()) {
                return out;
            }
            if (s.charAt(pos) != ',') {
                throw expected("',' or the end of the selector");
            }
            pos++;
            skipSpace();
        }
    }

    private Requirement requirement() {
        if (peek('!')) {
            pos++;
            skipSpace();
            String key = key();
            skipSpace();
            if (!atEnd() && !peek(',')) {
                throw expected("',' or the end of the selector after '!" + key + "'");
            }
            return new Requirement.NotExists(key);
        }
        String key = key();
        skipSpace();
        if (atEnd() || peek(',')) {
            return new Requirement.Exists(key);
        }
        if (s.startsWith("==", pos) || peek('=')) {
            pos += s.startsWith("==", pos) ? 2 : 1;
            return new Requirement.Equals(key, value(true));
        }
        if (s.startsWith("!=", pos)) {
            pos += 2;
            return new Requirement.NotEquals(key, value(true));
        }
        int at = pos;
        String op = word();
        if (op.equals("in")) {
            return new Requirement.In(key, set());
        }
        if (op.equals("notin")) {
            return new Requirement.NotIn(key, set());
        }
        pos = at;
        throw expected("'=', '==', '!=', 'in', 'notin', ',' or the end of the selector after '" + key + "'");
    }

    private String key() {
        int at = pos;
        String k = word();
        if (k.isEmpty()) {
            throw expected("a label key");
        }
        try {
            return Fields.labelKey(FIELD, k);
        } catch (InvalidField e) {
            throw new InvalidField(FIELD, "at character " + (at + 1) + ": " + e.getMessage());
        }
    }

    /** A value; after '=' or '!=' it may be empty ({@code k=} means "k has the empty value"). */
    private String value(boolean mayBeEmpty) {
        skipSpace();
        int at = pos;
        String v = word();
        if (v.isEmpty() && !mayBeEmpty) {
            throw expected("a label value");
        }
        try {
            return Fields.labelValue(FIELD, v);
        } catch (InvalidField e) {
            throw new InvalidField(FIELD, "at character " + (at + 1) + ": " + e.getMessage());
        }
    }

    private List<String> set() {
        skipSpace();
        if (!peek('(')) {
            throw expected("'(' to open the set of values");
        }
        int open = pos++;
        List<String> values = new ArrayList<>();
        skipSpace();
        if (peek(')')) {
            throw expected("a value: a set needs at least one");
        }
        while (true) {
            values.add(value(false));
            if (values.size() > LabelSelector.MAX_SET_VALUES) {
                throw error("has a set with more than " + LabelSelector.MAX_SET_VALUES + " values");
            }
            skipSpace();
            if (peek(')')) {
                pos++;
                return values;
            }
            if (atEnd()) {
                throw expected("')' to close the set opened at character " + (open + 1));
            }
            if (!peek(',')) {
                throw expected("',' or ')' in the set opened at character " + (open + 1));
            }
            pos++;
        }
    }

    /** The longest run of characters that are not whitespace or one of {@code , ( ) = !}. */
    private String word() {
        int start = pos;
        while (!atEnd() && !isSpace(s.charAt(pos)) && ",()=!".indexOf(s.charAt(pos)) < 0) {
            pos++;
        }
        return s.substring(start, pos);
    }

    private void skipSpace() {
        while (!atEnd() && isSpace(s.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private boolean atEnd() {
        return pos >= s.length();
    }

    private boolean peek(char c) {
        return !atEnd() && s.charAt(pos) == c;
    }

    private InvalidField expected(String what) {
        String found = atEnd() ? "the end" : Fields.quote(s.substring(pos, pos + 1));
        return new InvalidField(FIELD, "expected " + what + " at character " + (pos + 1) + ", found " + found);
    }

    private InvalidField error(String what) {
        return new InvalidField(FIELD, "the selector " + what);
    }
}
