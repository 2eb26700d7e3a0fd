"""Lesion-level matching, FROC, per-size sensitivity, Dice, slice AUC and
bootstrap confidence intervals. The same matching rule serves threshold
selection (validation), evaluation (test) and the Go regression:

    a finding matches a lesion when the distance between the finding's
    centre and the lesion's centre (patient coordinates, mm) is at most
    max(MATCH_MIN_MM, lesion diameter / 2).

A lesion is detected when at least one finding matches it; a finding that
matches no lesion is a false positive (a second finding on an already
detected lesion is neither), unless its centre lies inside a lesion the
source itself annotates (sources.annotated_regions: the real lesions of
the BLDS patches). Such a finding is neither a true nor a false positive:
those regions are real bone lesions whose extent and kind our inserted
ground truth does not describe, so a finding there is not a false alarm on
normal bone, nor a detection we can score (the "ignore" regions of
detection challenges such as LUNA16)."""
import numpy as np

from . import config, sources

SIZE_BINS = [("<5 mm", 0, 5), ("5-10 mm", 5, 10), (">10 mm", 10, 1e9)]


def size_bin(d):
    for name, lo, hi in SIZE_BINS:
        if lo <= d < hi or (name == ">10 mm" and d >= 10 and lo == 10):
            return name
    return SIZE_BINS[-1][0]


def in_bin(d, name):
    if name == "<5 mm":
        return d < 5
    if name == "5-10 mm":
        return 5 <= d <= 10
    if name == ">10 mm":
        return d > 10
    if name == ">=5 mm":
        return d >= 5
    return True


def on_regions(findings, regions):
    """Bool per finding: its centre lies inside one of the regions (dicts
    with center_mm and size_mm, axis-aligned boxes in patient mm)."""
    out = np.zeros(len(findings), bool)
    if not findings or not regions:
        return out
    F = np.array([f["center_mm"] for f in findings])
    C = np.array([r["center_mm"] for r in regions])
    H = np.array([r["size_mm"] for r in regions]) / 2
    return (np.abs(F[:, None, :] - C[None, :, :]) <= H[None, :, :]).all(axis=2).any(axis=1)


def match(findings, lesions, regions=()):
    """(detected bool per lesion, false-positive bool per finding); a
    finding on an annotated region (on_regions) that matches no lesion is
    not a false positive (match_left_out also says which were left out)."""
    det, fp, _ = match_left_out(findings, lesions, regions)
    return det, fp


def match_left_out(findings, lesions, regions=()):
    """match, plus a bool per finding: matches no lesion but lies on an
    annotated region, so the rule left it out of the false positives."""
    det = np.zeros(len(lesions), bool)
    unmatched = np.ones(len(findings), bool)
    if findings and lesions:
        F = np.array([f["center_mm"] for f in findings])
        L = np.array([l["center_mm"] for l in lesions])
        rad = np.maximum(config.MATCH_MIN_MM, np.array([l["diameter_mm"] for l in lesions]) / 2)
        hit = np.linalg.norm(F[:, None, :] - L[None, :, :], axis=2) <= rad[None, :]
        det, unmatched = hit.any(axis=0), ~hit.any(axis=1)
    on = on_regions(findings, regions)
    return det, unmatched & ~on, unmatched & on


class Sweep:
    """Per scan and threshold: which lesions are detected, how many false
    positives, and how many findings on annotated regions were left out of
    them (false positives by the rule without regions), from findings
    computed at each threshold."""

    def __init__(self, thresholds):
        self.t = list(thresholds)
        self.scans = []   # dicts: name, group, diam [L], det [T, L], fp [T], left_out [T]

    def add(self, name, group, lesions, findings_by_t, regions=None):
        """regions: the scan's annotated regions; by default those its
        source annotates (sources.annotated_regions of its name)."""
        regions = sources.annotated_regions(name) if regions is None else regions
        det = np.zeros((len(self.t), len(lesions)), bool)
        fp = np.zeros(len(self.t), int)
        left_out = np.zeros(len(self.t), int)
        for i, t in enumerate(self.t):
            d, f, lo = match_left_out(findings_by_t[i], lesions, regions)
            det[i], fp[i], left_out[i] = d, f.sum(), lo.sum()
        self.scans.append(dict(name=name, group=group, diam=np.array([l["diameter_mm"] for l in lesions]),
                               det=det, fp=fp, left_out=left_out))

    def curve(self, scans=None, size="all"):
        """(sensitivity [T], FP per scan [T]) over the given scans."""
        scans = self.scans if scans is None else scans
        tp = np.zeros(len(self.t))
        n = 0
        fp = np.zeros(len(self.t))
        for s in scans:
            sel = np.array([in_bin(d, size) for d in s["diam"]], bool) if len(s["diam"]) else np.zeros(0, bool)
            tp += s["det"][:, sel].sum(axis=1)
            n += sel.sum()
            fp += s["fp"]
        return tp / max(n, 1), fp / max(len(scans), 1), int(n)

    @staticmethod
    def sens_at_fp(sens, fps, budget):
        ok = fps <= budget
        return float(sens[ok].max()) if ok.any() else 0.0

    def at(self, t, scans=None, size="all"):
        i = self.t.index(t)
        s, f, n = self.curve(scans, size)
        return float(s[i]), float(f[i]), n


def bootstrap(scans, stat, n_boot=1000, seed=config.SEED):
    """95 % percentile interval of stat(list of scans) over scans resampled
    with replacement."""
    rng = np.random.default_rng(seed)
    vals = []
    for _ in range(n_boot):
        idx = rng.integers(0, len(scans), len(scans))
        vals.append(stat([scans[i] for i in idx]))
    vals = np.array(vals, float)
    vals = vals[np.isfinite(vals)]
    if vals.size == 0:
        return (float("nan"), float("nan"))
    return float(np.percentile(vals, 2.5)), float(np.percentile(vals, 97.5))


def auc(scores, labels):
    """Area under the ROC curve (Mann–Whitney, ties counted half)."""
    scores = np.asarray(scores, float)
    labels = np.asarray(labels, bool)
    pos, neg = scores[labels], scores[~labels]
    if pos.size == 0 or neg.size == 0:
        return float("nan")
    from scipy.stats import rankdata
    r = rankdata(np.concatenate([pos, neg]))
    return float((r[:pos.size].sum() - pos.size * (pos.size + 1) / 2) / (pos.size * neg.size))


def dice(pred, truth):
    s = pred.sum() + truth.sum()
    return float(2 * np.logical_and(pred, truth).sum() / s) if s else float("nan")
