package io.weir.sql.auth;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * SASLprep (RFC 4013) of a password before it is hashed, the way PostgreSQL's {@code pg_saslprep} does
 * it for SCRAM, so that a verifier made here and one made by PostgreSQL agree for the same password:
 * an ASCII password is used as it is; otherwise non-ASCII spaces become spaces, characters "commonly
 * mapped to nothing" are dropped and the result is NFKC-normalized; a password with prohibited
 * characters (controls, private use, non-characters, ...) or mixing directions in a way RFC 3454
 * forbids is used as it is (PostgreSQL does the same rather than refusing it).
 *
 * <p>Unassigned code points are judged by the JDK's Unicode tables, not Unicode 3.2's as PostgreSQL
 * does; only passwords with characters assigned after Unicode 3.2 that NFKC changes can differ.
 */
final class SaslPrep {
    private SaslPrep() {
    }

    /** The bytes a password is hashed from: its SASLprep form, or its UTF-8 bytes as they are. */
    static byte[] passwordBytes(String password) {
        return prepare(password).getBytes(StandardCharsets.UTF_8);
    }

    static String prepare(String password) {
        if (password.chars().allMatch(c -> c < 0x80)) {
            return password;
        }
        StringBuilder mapped = new StringBuilder(password.length());
        for (int i = 0; i < password.length(); ) {
            int code = password.codePointAt(i);
            i += Character.charCount(code);
            if (isNonAsciiSpace(code)) {
                mapped.append(' ');
            } else if (!isMappedToNothing(code)) {
                mapped.appendCodePoint(code);
            }
        }
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
        if (normalized.isEmpty() || !allowed(normalized)) {
            return password;
        }
        return normalized;
    }

    private static boolean allowed(String text) {
        boolean randAl = false;
        boolean leftToRight = false;
        for (int i = 0; i < text.length(); ) {
            int code = text.codePointAt(i);
            i += Character.charCount(code);
            if (isProhibited(code) || Character.getType(code) == Character.UNASSIGNED) {
                return false;
            }
            byte direction = Character.getDirectionality(code);
            randAl |= isRandAl(direction);
            leftToRight |= direction == Character.DIRECTIONALITY_LEFT_TO_RIGHT;
        }
        if (!randAl) {
            return true;
        }
        // RFC 3454 section 6: right-to-left text has no left-to-right characters and starts and ends right-to-left
        return !leftToRight && isRandAl(Character.getDirectionality(text.codePointAt(0)))
                && isRandAl(Character.getDirectionality(text.codePointBefore(text.length())));
    }

    private static boolean isRandAl(byte direction) {
        return direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT || direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }

    /** RFC 3454 table C.1.2. */
    private static boolean isNonAsciiSpace(int c) {
        return c == 0x00A0 || c == 0x1680 || c >= 0x2000 && c <= 0x200B || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    /** RFC 3454 table B.1. */
    private static boolean isMappedToNothing(int c) {
        return c == 0x00AD || c == 0x034F || c == 0x1806 || c >= 0x180B && c <= 0x180D || c >= 0x200B && c <= 0x200D
                || c == 0x2060 || c >= 0xFE00 && c <= 0xFE0F || c == 0xFEFF;
    }

    /** RFC 4013 section 2.3: tables C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8 and C.9 of RFC 3454. */
    private static boolean isProhibited(int c) {
        return isNonAsciiSpace(c)
                // C.2.1 and C.2.2: control characters
                || c <= 0x001F || c == 0x007F || c >= 0x0080 && c <= 0x009F || c == 0x06DD || c == 0x070F || c == 0x180E
                || c == 0x200C || c == 0x200D || c == 0x2028 || c == 0x2029 || c >= 0x2060 && c <= 0x2063
                || c >= 0x206A && c <= 0x206F || c == 0xFEFF || c >= 0xFFF9 && c <= 0xFFFC || c >= 0x1D173 && c <= 0x1D17A
                // C.3: private use
                || c >= 0xE000 && c <= 0xF8FF || c >= 0xF0000 && c <= 0xFFFFD || c >= 0x100000 && c <= 0x10FFFD
                // C.4: non-characters
                || c >= 0xFDD0 && c <= 0xFDEF || (c & 0xFFFE) == 0xFFFE
                // C.5: surrogates
                || c >= 0xD800 && c <= 0xDFFF
                // C.6 and C.7: inappropriate for plain text and for canonical representation
                || c >= 0xFFF9 && c <= 0xFFFD || c >= 0x2FF0 && c <= 0x2FFB
                // C.8: change display properties or deprecated
                || c == 0x0340 || c == 0x0341 || c == 0x200E || c == 0x200F || c >= 0x202A && c <= 0x202E
                // C.9: tagging characters
                || c == 0xE0001 || c >= 0xE0020 && c <= 0xE007F;
    }
}
