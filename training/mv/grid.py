"""Python replica of the Go inference pipeline's geometry and value maps
(inference/grid.go, resample.go, preprocess.go, postprocess.go), so that
training data and Python-side evaluation see exactly what the app feeds the
network. Keep in step with the Go code."""
import math

import numpy as np

from . import config


def go_round(x):
    """math.Round: half away from zero (Python's round is half to even)."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def taps(n, m):
    """newTaps: m destination samples over n source samples, pixel centres
    aligned ((i+½)·n/m − ½, clamped to [0, n−1])."""
    scale = n / m
    x = np.clip((np.arange(m, dtype=np.float64) + 0.5) * scale - 0.5, 0, n - 1)
    lo = np.floor(x).astype(np.int64)
    hi = np.minimum(lo + 1, n - 1)
    frac = (x - lo).astype(np.float32)
    return lo, hi, frac


def resample_bilinear(src, out_rows, out_cols):
    """resampleBilinear on the last two axes: horizontal pass, then vertical,
    in float32 like the Go code."""
    src = np.asarray(src, dtype=np.float32)
    sr, sc = src.shape[-2:]
    if (sr, sc) == (out_rows, out_cols):
        return src.copy()
    clo, chi, cf = taps(sc, out_cols)
    a = src[..., clo]
    tmp = a + (src[..., chi] - a) * cf
    rlo, rhi, rf = taps(sr, out_rows)
    a = tmp[..., rlo, :]
    return a + (tmp[..., rhi, :] - a) * rf[:, None]


class Grid:
    """newGrid for target spacing (no fixed size): original → net → padded."""

    def __init__(self, rows, cols, spacing, target=config.TARGET_SPACING_MM, multiple=config.SIZE_MULTIPLE):
        self.rows, self.cols = rows, cols
        self.net_rows, self.net_cols = rows, cols
        if target > 0 and spacing[0] > 0 and spacing[1] > 0:
            self.net_rows = max(go_round(rows * spacing[0] / target), 1)
            self.net_cols = max(go_round(cols * spacing[1] / target), 1)
        self.resampled = (self.net_rows, self.net_cols) != (rows, cols)
        up = lambda n: n if multiple <= 1 else (n + multiple - 1) // multiple * multiple
        self.pad_rows, self.pad_cols = up(self.net_rows), up(self.net_cols)
        self.top = (self.pad_rows - self.net_rows) // 2
        self.left = (self.pad_cols - self.net_cols) // 2

    def to_net(self, hu):
        """HU (…, rows, cols) → HU on the net grid."""
        return resample_bilinear(hu, self.net_rows, self.net_cols) if self.resampled else np.asarray(hu, np.float32)

    def pad(self, net_hu, value=config.PADDING_HU):
        shape = net_hu.shape[:-2] + (self.pad_rows, self.pad_cols)
        out = np.full(shape, value, dtype=np.float32)
        out[..., self.top:self.top + self.net_rows, self.left:self.left + self.net_cols] = net_hu
        return out

    def crop(self, padded):
        return padded[..., self.top:self.top + self.net_rows, self.left:self.left + self.net_cols]

    def to_orig(self, net_prob):
        return resample_bilinear(net_prob, self.rows, self.cols) if self.resampled else net_prob


def window(hu, center, width):
    """Window.Apply (manifest.go) as the affine map of newChannelMap, in
    float64 then float32."""
    scale = 1.0 / width
    offset = -(center - width / 2.0) / width
    return np.clip(np.asarray(hu, np.float64) * scale + offset, 0, 1).astype(np.float32)


def channels(hu):
    """(…, H, W) HU → (…, C, H, W) network input."""
    return np.stack([window(hu, c, w) for _, c, w in config.CHANNELS], axis=-3)


def slice_offsets(z, k=config.SLICE_CONTEXT):
    """newPreprocessor's neighbour offsets: the 2k+1 slice offsets in
    channel order, most cranial first (+k … −k when the slice index runs
    towards the head, patient z rising, else −k … +k)."""
    towards_head = len(z) > 1 and z[-1] > z[0]
    return [-j if towards_head else j for j in range(-k, k + 1)]


def contiguous_runs(z, max_gap=config.SLICE_CONTEXT_MAX_GAP_MM):
    """contiguousRuns: (lo, hi), the first and last slice of the run of
    each slice, the series split where adjacent slices are more than
    max_gap mm apart (no split for max_gap 0)."""
    n = len(z)
    lo, hi = [0] * n, [n - 1] * n
    start = 0
    for s in range(n):
        if s == n - 1 or (max_gap > 0 and abs(z[s + 1] - z[s]) > max_gap):
            for k in range(start, s + 1):
                lo[k], hi[k] = start, s
            start = s + 1
    return lo, hi


def context_slices(s, offsets, runs, z=None, step=config.SLICE_CONTEXT_STEP_MM):
    """The sorted slices that slice s reads for offsets, clamped at the ends
    of its run (contiguous_runs; preprocessor.source). With step > 0 and
    slice positions z, offset o reads the slice of the run, on o's side,
    whose distance from s is nearest to |o|·step mm (ties: the nearer
    index; steppedSource)."""
    lo, hi = runs
    if step > 0 and z is not None and len(z) > 1:
        return [stepped_source(s, o, lo[s], hi[s], z, step) for o in offsets]
    return [min(max(s + o, lo[s]), hi[s]) for o in offsets]


def stepped_source(s, o, lo, hi, z, step):
    """steppedSource: the slice i of lo … hi on offset o's side of s
    minimising | |z[i] − z[s]| − |o|·step |, the nearest to s on ties."""
    want = abs(o) * step
    best, best_err = s, want
    d = 1 if o > 0 else -1
    i = s + d
    while o != 0 and lo <= i <= hi:
        dist = abs(float(z[i]) - float(z[s]))
        if abs(dist - want) < best_err:
            best, best_err = i, abs(dist - want)
        elif dist > want:
            break
        i += d
    return best


def input_channels(hu):
    """(…, D, H, W) HU of a slice and its neighbours (context_slices order)
    → (…, D·C, H, W) network input, slice-major like the Go channel order;
    D = 1 gives channels(hu[…, 0, :, :])."""
    x = channels(hu)
    return x.reshape(x.shape[:-4] + (x.shape[-4] * x.shape[-3],) + x.shape[-2:])


def quantise(p):
    """quantise: round(255·clamp(p, 0, 1)); NaN → 0."""
    p = np.nan_to_num(np.asarray(p, np.float32), nan=0.0)
    q = np.floor(np.clip(p, 0, 1) * np.float32(255) + np.float32(0.5))
    return q.astype(np.uint8)


def quant_threshold(t):
    """quantThreshold: the smallest byte q with q/255 ≥ t."""
    q = math.ceil(t * 255 - 1e-9)
    return min(max(q, 1), 255)
