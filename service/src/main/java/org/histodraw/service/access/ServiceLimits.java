package org.histodraw.service.access;

/**
 * What one caller may ask of the service, so that nobody (with a valid token or not) can exhaust
 * it: a forest of thousands of trees trained in a request thread, a feature bank of a hundred
 * sigmas, or requests by the hundred. Past a limit the service answers 400 (a setting too large)
 * or 429 with Retry-After (too many at once), at once and before any work.
 *
 * @param maxTrees             trees of a forest (the default is 8)
 * @param maxDepth             depth of a tree
 * @param maxSigmas            scales of the feature bank
 * @param maxSigma             the largest scale (pixels): a filter's halo grows with it
 * @param maxFeatures          features per pixel
 * @param maxTrainingSlices    slices one training reads
 * @param trainingsPerUser     trainings of one user at the same time
 * @param trainings            trainings at the same time, all users together
 * @param jobsPerUser          jobs of one user queued or running
 * @param jobs                 jobs queued or running, all users together
 * @param requestsPerUser      requests of one user being answered at the same time (preview tiles, proxied tiles)
 * @param requests             requests being answered at the same time, all users together
 */
public record ServiceLimits(int maxTrees, int maxDepth, int maxSigmas, double maxSigma, int maxFeatures, int maxTrainingSlices,
                            int trainingsPerUser, int trainings, int jobsPerUser, int jobs, int requestsPerUser, int requests) {
    public static final ServiceLimits DEFAULT = new ServiceLimits(200, 30, 10, 32, 120, 50, 1, 2, 2, 20, 16, 64);

    public ServiceLimits {
        if (maxTrees < 1 || maxDepth < 1 || maxSigmas < 1 || !(maxSigma > 0) || maxFeatures < 1 || maxTrainingSlices < 1
                || trainingsPerUser < 1 || trainings < 1 || jobsPerUser < 1 || jobs < 1 || requestsPerUser < 1 || requests < 1) {
            throw new IllegalArgumentException("service limits must be positive");
        }
    }
}
