#!/usr/bin/env python3
"""The accuracy tasks' data variants and the original stack's scores on them (bench/accuracy.sh).

  accuracy_reference.py restained GBM_DIR OUT_DIR
      writes OUT_DIR/restained (hematoxylin x1.4, eosin x0.6 in scikit-image's HED space: another
      lab's stain); the rescaled sets are made by bench/accuracy.sh with vips
  accuracy_reference.py gbm DIR [SEED]
      the series task: train on the scribbles of 01-03, apply to 01-20, mean IoU per image averaged
  accuracy_reference.py tile IMAGE MASK SCRIBBLES [SEED]
      train on SCRIBBLES (0 unlabelled, 1, 2), score the right half of MASK (0 -> 1, else 2)

Scores print as one line: TASK<TAB>reference<TAB>mean IoU<TAB>pixel accuracy<TAB>settings, as
AccuracyTasks.java prints them. The reference is what the original service ran: scikit-image
multiscale_basic_features on RGB, sigma 1..16 (60 features), scikit-learn RandomForestClassifier
50 trees, depth 10, max_samples 0.05 (seeded here so a run can be repeated).
"""
import os
import sys

import numpy as np
from skimage import color, io
from skimage.feature import multiscale_basic_features
from sklearn.ensemble import RandomForestClassifier

SETTINGS = "scikit-image RGB sigma 1..16 (60), 50 trees depth 10"


def features(image):
    return multiscale_basic_features(image[..., :3], intensity=True, edges=True, texture=True,
                                     sigma_min=1, sigma_max=16, channel_axis=-1).astype(np.float32)


def forest(seed):
    return RandomForestClassifier(n_estimators=50, n_jobs=-1, max_depth=10, max_samples=0.05, random_state=seed)


def score(predicted, truth, classes=2):
    """Mean IoU over the classes present, pixel accuracy; truth 0 is left out (as SegmentationScore)."""
    known = truth > 0
    p, t = predicted[known], truth[known]
    ious = []
    for c in range(1, classes + 1):
        inter = np.sum((p == c) & (t == c))
        union = np.sum((p == c) | (t == c))
        if union > 0:
            ious.append(inter / union)
    return float(np.mean(ious)), int(np.sum(p == t)), int(t.size)


def labels(path):
    a = io.imread(path)
    return a[..., 0] if a.ndim == 3 else a


def gbm(folder, seed):
    x, y = [], []
    for i in range(1, 4):
        f = features(io.imread(os.path.join(folder, f"{i:02d}.png")))
        s = labels(os.path.join(folder, f"{i:02d}_scribbles.png"))
        x.append(f[s > 0])
        y.append(s[s > 0])
    clf = forest(seed).fit(np.concatenate(x), np.concatenate(y))
    ious, correct, total = [], 0, 0
    for i in range(1, 21):
        image = io.imread(os.path.join(folder, f"{i:02d}.png"))
        f = features(image)
        predicted = clf.predict(f.reshape(-1, f.shape[-1])).reshape(image.shape[:2])
        iou, c, t = score(predicted, labels(os.path.join(folder, f"{i:02d}_truth.png")))
        ious.append(iou)
        correct, total = correct + c, total + t
    return float(np.mean(ious)), correct / total


def tile(image_path, mask_path, scribbles_path, seed):
    image = io.imread(image_path)
    mask = labels(mask_path)
    truth = np.where(mask == 0, 1, 2).astype(np.uint8)
    truth[:, : truth.shape[1] // 2] = 0
    s = labels(scribbles_path)
    f = features(image)
    clf = forest(seed).fit(f[s > 0], s[s > 0])
    predicted = clf.predict(f.reshape(-1, f.shape[-1])).reshape(image.shape[:2])
    iou, c, t = score(predicted, truth)
    return iou, c / t


def restained(folder, out):
    d = os.path.join(out, "restained")
    os.makedirs(d, exist_ok=True)
    for i in range(1, 21):
        image = io.imread(os.path.join(folder, f"{i:02d}.png"))[..., :3]
        hed = color.rgb2hed(image)
        hed[..., 0] *= 1.4
        hed[..., 1] *= 0.6
        rgb = np.clip(color.hed2rgb(hed), 0, 1)
        io.imsave(os.path.join(d, f"{i:02d}.png"), np.round(rgb * 255).astype(np.uint8), check_contrast=False)
        for kind in ("scribbles", "truth"):
            src = os.path.join(folder, f"{i:02d}_{kind}.png")
            if os.path.exists(src):
                io.imsave(os.path.join(d, f"{i:02d}_{kind}.png"), labels(src), check_contrast=False)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    task = argv[1]
    if task == "restained":
        restained(argv[2], argv[3])
        return 0
    if task == "gbm":
        iou, acc = gbm(argv[2], int(argv[3]) if len(argv) > 3 else 42)
        name = f"gbm {argv[2]}"
    elif task == "tile":
        iou, acc = tile(argv[2], argv[3], argv[4], int(argv[5]) if len(argv) > 5 else 42)
        name = f"tile {argv[2]} {argv[3]}"
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(f"{name}\treference\t{iou:.4f}\t{acc:.4f}\t{SETTINGS}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
