package dev.fraiseql.observers.core.config;

import dev.fraiseql.observers.core.config.app.ConfigFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds what a config folder holds that the product would pass over without a word: a file in
 * {@code connectors/} or {@code observers/} whose name does not end in {@code .yaml} or {@code
 * .yml} ({@code orders.json}, {@code orders.yml.bak}), a sub-folder there (neither loader looks
 * into sub-folders), and a misspelt folder or application file at the top ({@code observer/},
 * {@code application.yml}).
 *
 * <p>They are warnings, not errors: the process starts without them, it just does not read them.
 * Names that start with a dot ({@code .gitkeep}, {@code .DS_Store}) are left alone: no one expects
 * those to be read. The rule mirrors the loaders ({@code ObserverLoader}, the connector supervisor,
 * {@link ConfigValidator}): regular files directly in the folder, with a name ending in {@code
 * .yaml} or {@code .yml}, exact case.
 */
final class UnreadFiles {
    static final List<String> READ_FOLDERS = List.of("connectors", "observers");

    private UnreadFiles() {}

    /** Warnings for every file and folder under {@code root} that the product does not read. */
    static List<Problem> find(Path root) {
        List<Problem> warnings = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return warnings;
        }
        for (Path entry : list(root)) {
            String name = entry.getFileName().toString();
            if (Files.isDirectory(entry)) {
                misspeltFolder(name).ifPresent(warnings::add);
            } else {
                boolean applicationFileExists =
                        Files.exists(root.resolve(ConfigFolder.APPLICATION_FILE));
                misspeltApplicationFile(name, applicationFileExists).ifPresent(warnings::add);
            }
        }
        for (String folder : READ_FOLDERS) {
            Path dir = root.resolve(folder);
            if (Files.isDirectory(dir)) {
                warnings.addAll(unreadInside(dir, folder));
            }
        }
        return warnings;
    }

    /** True for the names the loaders read: they end in .yaml or .yml, in lower case. */
    static boolean isRead(String fileName) {
        return fileName.endsWith(".yaml") || fileName.endsWith(".yml");
    }

    private static Optional<Problem> misspeltFolder(String name) {
        if (READ_FOLDERS.contains(name) || name.startsWith(".")) {
            return Optional.empty();
        }
        for (String folder : READ_FOLDERS) {
            // Two edits catch the usual slips (observer, Observers, obsevers, connector) without
            // flagging the state folder or a folder of unrelated notes.
            if (EditDistance.between(name.toLowerCase(Locale.ROOT), folder) <= 2) {
                String kind = folder.substring(0, folder.length() - 1);
                return Optional.of(
                        warning(
                                name + "/",
                                "this folder is not read: "
                                        + kind
                                        + " files are read from "
                                        + folder
                                        + "/ only",
                                "did you mean "
                                        + folder
                                        + "/? rename it (or move its files into "
                                        + folder
                                        + "/)"));
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> misspeltApplicationFile(String name, boolean realOneExists) {
        String expected = ConfigFolder.APPLICATION_FILE;
        if (name.equals(expected)
                || name.startsWith(".")
                || EditDistance.between(name.toLowerCase(Locale.ROOT), expected) > 2) {
            return Optional.empty();
        }
        return Optional.of(
                warning(
                        name,
                        "this file is not read: the application settings are read from "
                                + expected
                                + " only",
                        realOneExists
                                ? "did you mean "
                                        + expected
                                        + "? that file is read instead:"
                                        + " move these settings into it, or delete this copy"
                                : "did you mean " + expected + "? rename it to " + expected));
    }

    private static List<Problem> unreadInside(Path dir, String folder) {
        List<Problem> warnings = new ArrayList<>();
        for (Path entry : list(dir)) {
            String name = entry.getFileName().toString();
            if (name.startsWith(".")) {
                continue;
            }
            String label = folder + "/" + name;
            if (Files.isDirectory(entry)) {
                warnings.add(
                        warning(
                                label + "/",
                                "this folder is not read: files in sub-folders of "
                                        + folder
                                        + "/ are not read",
                                "move its .yaml files up into " + folder + "/"));
            } else if (!isRead(name)) {
                warnings.add(
                        warning(
                                label,
                                "this file is not read: only *.yaml and *.yml files in "
                                        + folder
                                        + "/ are read",
                                "give it a .yaml name to have it read, or move it out of "
                                        + folder
                                        + "/"));
            }
        }
        return warnings;
    }

    private static Problem warning(String file, String message, String fix) {
        return new Problem(file, 0, "", null, message, fix);
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
