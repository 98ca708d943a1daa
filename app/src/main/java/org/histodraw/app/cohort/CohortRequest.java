package org.histodraw.app.cohort;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A checked {@code histodraw cohort} command line.
 *
 * @param jobArguments the job's arguments for its driver (paths absolute, no token)
 * @param token        the API token of {@code --server}, handed to the driver by its environment
 * @param out          the results folder; the driver's log goes there as {@value CohortRunner#LOG}
 * @param local        whether Spark runs inside the driver's JVM ({@code local[N]}), not on a cluster
 * @param debug        whether Spark's log is also shown on the terminal as it is written
 */
public record CohortRequest(List<String> jobArguments, Optional<String> token, Path out, boolean local, boolean debug) {

    public CohortRequest {
        jobArguments = List.copyOf(jobArguments);
    }
}
