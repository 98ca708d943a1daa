#!/usr/bin/env python3
"""The original stack, for comparison: scikit-image multiscale features + scikit-learn random forest.

Runs exactly what the original segmentation service ran (skimage.feature.multiscale_basic_features on
RGB, sigma 1..16 = 60 features; RandomForestClassifier 50 trees, depth 10, max_samples 0.05, all cores)
on an image and a label image (0 = unlabelled, 1..K = classes), and prints the timings as one JSON line.

usage: reference_stack.py IMAGE.png LABELS.png [CLASSMAP_OUT.png]
"""
import json
import resource
import sys
import time

import numpy as np
from skimage import io
from skimage.feature import multiscale_basic_features
from sklearn.ensemble import RandomForestClassifier


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    image = io.imread(argv[1])[..., :3]
    labels = io.imread(argv[2])
    if labels.ndim == 3:
        labels = labels[..., 0]
    c0 = time.process_time()
    t0 = time.perf_counter()
    features = multiscale_basic_features(image, intensity=True, edges=True, texture=True,
                                         sigma_min=1, sigma_max=16, channel_axis=-1)
    t1 = time.perf_counter()
    mask = labels > 0
    clf = RandomForestClassifier(n_estimators=50, n_jobs=-1, max_depth=10, max_samples=0.05)
    clf.fit(features[mask], labels[mask])
    t2 = time.perf_counter()
    flat = features.reshape(-1, features.shape[-1])
    predicted = clf.predict(flat).reshape(labels.shape).astype(np.uint8)
    t3 = time.perf_counter()
    c3 = time.process_time()
    if len(argv) > 3:
        io.imsave(argv[3], predicted, check_contrast=False)
    pixels = image.shape[0] * image.shape[1]
    print(json.dumps({
        "stack": "scikit-image + scikit-learn",
        "megapixels": pixels / 1e6,
        "features": int(features.shape[-1]),
        "labelled_pixels": int(mask.sum()),
        "features_s": t1 - t0,
        "training_s": t2 - t1,
        "prediction_s": t3 - t2,
        "end_to_end_s": t3 - t0,
        "end_to_end_cpu_s": c3 - c0,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
