package dev.fraiseql.observers.core.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a configuration file as UTF-8 text, turning every way that can fail into one {@link
 * Problem} that says what is wrong with the file and how to fix it, instead of an exception text
 * such as {@code Input length = 1}.
 */
public final class ConfigFiles {
    private ConfigFiles() {}

    /**
     * The text of a file.
     *
     * @param file the file
     * @param label how problems name it ({@code connectors/shop.yaml})
     * @throws ConfigException with one problem when the file cannot be read as UTF-8 text
     */
    public static String read(Path file, String label) {
        if (Files.isDirectory(file)) {
            throw problem(label, "is a folder, not a file", "remove the folder or rename it");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw problem(label, "does not exist", "create it, or check the path");
        } catch (AccessDeniedException e) {
            throw problem(
                    label,
                    "cannot be read: permission denied",
                    "make it readable by the user that runs observers");
        } catch (CharacterCodingException e) {
            throw problem(
                    label,
                    "is not UTF-8 text",
                    "save it as UTF-8 (YAML files are UTF-8; a binary or UTF-16 file cannot be"
                            + " read)");
        } catch (IOException e) {
            throw problem(
                    label, "cannot be read: " + e.getMessage(), "check that it is a readable file");
        }
    }

    private static ConfigException problem(String label, String message, String fix) {
        return new ConfigException(List.of(new Problem(label, 0, "", null, message, fix)));
    }
}
