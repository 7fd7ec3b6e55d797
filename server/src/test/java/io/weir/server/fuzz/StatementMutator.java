package io.weir.server.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static java.util.Objects.requireNonNull;

/**
 * Makes hostile variants of a valid statement, the way typos, generators and attackers do: tokens
 * dropped, swapped, repeated or inserted, statements cut short, huge literals, deep nesting and odd
 * Unicode. One or two mutations per variant, chosen by the given random source (seeded, so a
 * failing variant can be made again).
 */
final class StatementMutator {
    private static final List<String> KEYWORDS = List.of("SELECT", "STREAM", "FROM", "WHERE", "GROUP", "BY", "HAVING",
            "ORDER", "LIMIT", "JOIN", "LEFT", "ON", "AS", "UNION", "ALL", "TABLE", "TUMBLE", "HOP", "SESSION", "DESCRIPTOR",
            "INTERVAL", "SECOND", "CAST", "NULL", "NOT", "AND", "OR", "CASE", "WHEN", "END", "INSERT", "INTO", "VALUES",
            "CREATE", "DROP", "STREAM", "WATERMARK", "FOR", "WITH", "EMIT", "OVER", "PARTITION", "DISTINCT", "*", ",", "(",
            ")", ";", "=", "'", "\"", "?", ".", "::", "||", "-", "/", "%");
    private static final List<String> ODD_TEXT = List.of("\u202Eevil", "日本語", "\uD83D\uDE00", "a\u0000b", "\uD800", "e\u0301",
            "\uFEFF", "'; DROP STREAM x; --", "\\", "%s%n", "\u00A0", "ſ", "İ", "\r\n");

    private final Random random;

    StatementMutator(Random random) {
        this.random = requireNonNull(random, "random is null");
    }

    String mutate(String sql) {
        List<String> tokens = new ArrayList<>(SqlTokens.split(sql));
        if (tokens.isEmpty()) {
            return sql;
        }
        int mutations = 1 + (random.nextInt(4) == 0 ? 1 : 0);
        for (int m = 0; m < mutations && !tokens.isEmpty(); m++) {
            mutateOnce(tokens);
        }
        return SqlTokens.join(tokens);
    }

    private void mutateOnce(List<String> tokens) {
        int at = random.nextInt(tokens.size());
        String token = tokens.get(at);
        switch (random.nextInt(11)) {
            case 0 -> tokens.remove(at);
            case 1 -> {
                if (at + 1 < tokens.size()) {
                    tokens.set(at, tokens.get(at + 1));
                    tokens.set(at + 1, token);
                }
            }
            case 2 -> {
                int times = 1 + random.nextInt(random.nextBoolean() ? 3 : 200);
                for (int i = 0; i < times; i++) {
                    tokens.add(at, token);
                }
            }
            case 3 -> tokens.add(at, KEYWORDS.get(random.nextInt(KEYWORDS.size())));
            case 4 -> tokens.subList(at, tokens.size()).clear(); // cut short
            case 5 -> tokens.set(at, hugeLiteral(token));
            case 6 -> {
                int depth = random.nextBoolean() ? 1 + random.nextInt(20) : 200 + random.nextInt(800);
                tokens.set(at, "(".repeat(depth) + token + ")".repeat(depth));
            }
            case 7 -> tokens.set(at, oddText(token));
            case 8 -> {
                // a slice of the statement again: a clause said twice
                int end = Math.min(tokens.size(), at + 1 + random.nextInt(8));
                tokens.addAll(end, new ArrayList<>(tokens.subList(at, end)));
            }
            case 9 -> tokens.set(at, number());
            default -> {
                int other = random.nextInt(tokens.size());
                tokens.set(at, tokens.get(other));
                tokens.set(other, token);
            }
        }
    }

    private String hugeLiteral(String token) {
        int length = random.nextBoolean() ? 10_000 : 200_000;
        if (token.startsWith("'")) {
            return "'" + "x".repeat(length) + "'";
        }
        if (token.startsWith("\"")) {
            return "\"" + "y".repeat(length) + "\"";
        }
        return random.nextBoolean() ? "9".repeat(length) : "z".repeat(length);
    }

    private String oddText(String token) {
        String odd = ODD_TEXT.get(random.nextInt(ODD_TEXT.size()));
        if (token.startsWith("'")) {
            return "'" + odd.replace("'", "''") + "'";
        }
        if (token.startsWith("\"")) {
            return "\"" + odd.replace("\"", "\"\"") + "\"";
        }
        return random.nextBoolean() ? odd : token + odd;
    }

    private String number() {
        return switch (random.nextInt(8)) {
            case 0 -> "99999999999999999999999999999999999999999";
            case 1 -> "-9223372036854775808";
            case 2 -> "1e999";
            case 3 -> "0.000000000000000000000000000000000000001";
            case 4 -> "-0";
            case 5 -> "2147483648";
            case 6 -> "1" + "0".repeat(400);
            default -> "1.7976931348623157E309";
        };
    }
}
