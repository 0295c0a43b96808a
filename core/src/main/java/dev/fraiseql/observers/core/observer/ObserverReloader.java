package dev.fraiseql.observers.core.observer;

import dev.fraiseql.observers.core.config.Problem;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks up changed observer files without a restart. A change to the folder (a file written, added
 * or removed) reloads the whole folder; the new set replaces the running one only when every file
 * is valid. An invalid change is rejected, its problems logged, and the previous observers keep
 * running until the files are fixed.
 *
 * <p>Changes are debounced: the folder is read once it has been quiet for {@code quietPeriod}, so
 * an editor's save in several writes is read once. The watch runs on one daemon thread, stopped by
 * {@link #close()}.
 */
public final class ObserverReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ObserverReloader.class);

    private final ObserverLoader loader;
    private final Path folder;
    private final ObserverRegistry registry;
    private final Duration quietPeriod;
    private final WatchService watcher;
    private final Thread thread;

    private ObserverReloader(
            ObserverLoader loader, Path folder, ObserverRegistry registry, Duration quietPeriod)
            throws IOException {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.folder = Objects.requireNonNull(folder, "folder");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.quietPeriod = Objects.requireNonNull(quietPeriod, "quietPeriod");
        this.watcher = FileSystems.getDefault().newWatchService();
        folder.register(
                watcher,
                StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = new Thread(this::watch, "observer-reloader");
        this.thread.setDaemon(true);
    }

    /** Starts watching a folder whose observers are already in the registry. */
    public static ObserverReloader start(
            ObserverLoader loader, Path folder, ObserverRegistry registry, Duration quietPeriod)
            throws IOException {
        ObserverReloader reloader = new ObserverReloader(loader, folder, registry, quietPeriod);
        reloader.thread.start();
        LOG.info("observer reload: watching {}", folder);
        return reloader;
    }

    /**
     * Reads the folder and puts its observers in force if all of them are valid.
     *
     * @return the result of reading the folder; its problems, if any, were rejected
     */
    public ObserverLoader.Result reloadNow() {
        ObserverLoader.Result result = loader.read(folder);
        if (!result.valid()) {
            LOG.warn(
                    "observer reload: {} problem(s) in {}; the change is rejected and the {}"
                            + " observers loaded before keep running until the files are fixed",
                    result.problems().size(),
                    folder,
                    registry.get().observers().size());
            for (Problem problem : result.problems()) {
                LOG.warn("observer reload: {}", problem.describe());
            }
            return result;
        }
        registry.replace(result.observers());
        LOG.info(
                "observer reload: {} observers in force from {}",
                result.observers().size(),
                folder);
        return result;
    }

    private void watch() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                WatchKey key = watcher.take();
                drain(key);
                // Wait for the folder to be quiet so a save in several writes is read once.
                WatchKey more;
                while ((more = watcher.poll(quietPeriod.toMillis(), TimeUnit.MILLISECONDS))
                        != null) {
                    drain(more);
                }
                reloadSafely();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClosedWatchServiceException e) {
            LOG.debug("observer reload: watch closed");
        }
    }

    private void reloadSafely() {
        try {
            reloadNow();
        } catch (RuntimeException e) {
            LOG.warn(
                    "observer reload: reading {} failed, the observers in force keep running: {}",
                    folder,
                    e.toString());
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.debug("observer reload: closing the watch failed: {}", e.toString());
        }
    }
}
