"""Python replica of the app's analysis of one series (inference.Analyzer):
preprocess on the network grid with air padding, run the network, crop,
resample back, quantise to bytes; then 26-connected components above a
threshold, never across a wide gap between slices (label26), with the
finding measures of inference/findings.go."""
import numpy as np
import torch
from scipy import ndimage as ndi

from . import config
from . import grid as G


def probability_maps(model, scan, batch=8, target=config.TARGET_SPACING_MM, context=None):
    """uint8 maps [slices, rows, cols] (byte q = probability q/255).
    target: the network grid's spacing (mm); other values only for
    experiments (the bundle's target_spacing_mm is config's). context: the
    neighbouring slices each side the network reads (slice_context; by
    default the network's own, from its input channels)."""
    if context is None:
        context = getattr(model, "slice_context", config.SLICE_CONTEXT)
    S, R, C = scan.hu.shape
    g = G.Grid(R, C, scan.pixel_spacing, target=target)
    out = np.zeros((S, R, C), np.uint8)
    model.eval()
    offsets, runs = G.slice_offsets(scan.z, context), G.contiguous_runs(scan.z)
    with torch.no_grad():
        for k0 in range(0, S, batch):
            ks = range(k0, min(k0 + batch, S))
            stack = np.stack([scan.hu[G.context_slices(k, offsets, runs, scan.z)] for k in ks])   # [b, D, rows, cols]
            x = torch.from_numpy(G.input_channels(g.pad(g.to_net(stack))))
            p = model(x)[:, 0].numpy()
            out[k0:k0 + batch] = G.quantise(g.to_orig(g.crop(p)))
    return out


STRUCT26 = np.ones((3, 3, 3), bool)
# sliceBreaks (inference/slicegaps.go): adjacent slices whose centres lie
# more than this many slice depths, and more than MIN_LINK_GAP_MM, apart
# are not joined into one finding.
MAX_LINK_GAP_DEPTHS = 2
MIN_LINK_GAP_MM = 5.0
GAP_TOLERANCE_MM = 1e-3


def slice_spacing_go(scan):
    """Geometry.SliceSpacing as dicomio computes it: the upper median of
    the gaps between adjacent positions, leaving out duplicates (under
    1e-3 mm); the thickness when there is no gap."""
    gaps = sorted(d for d in np.abs(np.diff(np.asarray(scan.z, float))) if d >= 1e-3)
    return float(gaps[len(gaps) // 2]) if gaps else float(scan.thickness or 0)


def slice_depth(scan):
    """sliceDepth: the slice spacing (slice_spacing_go), or the thickness
    when that is smaller (a sparse series): the depth a finding's slices
    stand for, in its extent and in the gap rule (slice_runs)."""
    spacing, t = slice_spacing_go(scan), float(scan.thickness or 0)
    return t if 0 < t < spacing else spacing


def slice_runs(scan):
    """[(lo, hi)]: the runs of slices joined for findings (half-open), the
    series cut where sliceBreaks cuts it."""
    z = np.asarray(scan.z, float)
    depth = slice_depth(scan)
    if len(z) < 2 or not depth > 0:
        return [(0, len(z))]
    lo, hi = G.contiguous_runs(z, max(MAX_LINK_GAP_DEPTHS * depth, MIN_LINK_GAP_MM) + GAP_TOLERANCE_MM)
    return sorted({(a, b + 1) for a, b in zip(lo, hi)})


def label26(fg, scan):
    """ndi.label with 26-connectivity within each run of slice_runs (a
    component never spans a wide gap between slices): (labels, count)."""
    runs = slice_runs(scan)
    if len(runs) == 1:
        return ndi.label(fg, structure=STRUCT26)
    lab = np.zeros(fg.shape, np.int32)
    n = 0
    for lo, hi in runs:
        part, k = ndi.label(fg[lo:hi], structure=STRUCT26)
        lab[lo:hi] = np.where(part > 0, part + n, 0)
        n += k
    return lab, n


def findings(maps, scan, t, min_mm=0.0, hu=None):
    """Components of maps ≥ quantThreshold(t) (label26), as dicts with center_voxel
    [c, r, s], center_mm, diameter_mm (largest bounding-box extent; slice
    extent = |z_hi − z_lo| + slice_depth), voxels, max_probability."""
    qt = G.quant_threshold(t)
    fg = maps >= qt
    lab, n = label26(fg, scan)
    if n == 0:
        return []
    idx = np.arange(1, n + 1)
    objs = ndi.find_objects(lab)
    counts = np.bincount(lab.ravel(), minlength=n + 1)[1:]
    ss, rr, cc = np.nonzero(fg)
    ll = lab[ss, rr, cc]
    sum_s = np.bincount(ll, weights=ss, minlength=n + 1)[1:]
    sum_r = np.bincount(ll, weights=rr, minlength=n + 1)[1:]
    sum_c = np.bincount(ll, weights=cc, minlength=n + 1)[1:]
    maxq = ndi.maximum(maps, lab, idx)
    out = []
    ps_r, ps_c = scan.pixel_spacing
    depth = slice_depth(scan)
    for i in range(n):
        sl = objs[i]
        s_lo, s_hi = sl[0].start, sl[0].stop - 1
        ext = [(sl[2].stop - sl[2].start) * ps_c, (sl[1].stop - sl[1].start) * ps_r,
               abs(scan.z[s_hi] - scan.z[s_lo]) + depth]
        d = max(ext)
        if d < min_mm:
            continue
        cv = [sum_c[i] / counts[i], sum_r[i] / counts[i], sum_s[i] / counts[i]]
        out.append(dict(center_voxel=cv, center_mm=[float(v) for v in scan.voxel_to_mm(*cv)], diameter_mm=float(d),
                        voxels=int(counts[i]), max_probability=float(maxq[i]) / 255))
    out.sort(key=lambda f: (-f["max_probability"], -f["voxels"]))
    return out


def findings_sweep(maps, scan, thresholds):
    """findings(maps, scan, t) for every t (ascending), without min_mm
    filtering (filter on diameter_mm afterwards). Components at a higher
    threshold lie inside one component at the lowest, so each low-threshold
    component's box is relabelled on its own."""
    thresholds = list(thresholds)
    assert thresholds == sorted(thresholds)
    out = [[] for _ in thresholds]
    q0 = G.quant_threshold(thresholds[0])
    lab0, n0 = label26(maps >= q0, scan)
    if n0 == 0:
        return out
    ps_r, ps_c = scan.pixel_spacing
    depth = slice_depth(scan)
    for i, sl in enumerate(ndi.find_objects(lab0), start=1):
        sub = np.where(lab0[sl] == i, maps[sl], 0)
        base = [s.start for s in sl]
        for ti, t in enumerate(thresholds):
            fg = sub >= G.quant_threshold(t)
            if not fg.any():
                break
            lab, n = ndi.label(fg, structure=STRUCT26)
            for j, osl in enumerate(ndi.find_objects(lab), start=1):
                m = lab[osl] == j
                ss, rr, cc = np.nonzero(m)
                s_lo, s_hi = base[0] + osl[0].start, base[0] + osl[0].stop - 1
                ext = [(osl[2].stop - osl[2].start) * ps_c, (osl[1].stop - osl[1].start) * ps_r,
                       abs(scan.z[s_hi] - scan.z[s_lo]) + depth]
                cv = [cc.mean() + base[2] + osl[2].start, rr.mean() + base[1] + osl[1].start,
                      ss.mean() + base[0] + osl[0].start]
                out[ti].append(dict(center_voxel=[float(v) for v in cv],
                                    center_mm=[float(v) for v in scan.voxel_to_mm(*cv)],
                                    diameter_mm=float(max(ext)), voxels=int(m.sum()),
                                    max_probability=float(sub[osl][m].max()) / 255))
    return out


def probability_maps_shared(specs, scan, batch=8):
    """probability_maps for several member specs (mv.bundle.parse_members)
    at once, each distinct member network run once per slice: {spec: uint8
    maps}. A spec's map is its members' mean computed as model.Ensemble
    does (every member reads the middle channels of the widest context's
    input, outputs summed in member order, then divided), so it equals
    probability_maps(load_network(spec), scan) while an ensemble and its
    members cost one pass per distinct member instead of one per use."""
    from .bundle import load_model, parse_members
    members = {spec: parse_members(spec) for spec in specs}
    nets = {}
    for ms in members.values():
        for path, _ in ms:
            if path not in nets:
                nets[path] = load_model(path)
    context = max(n.slice_context for n in nets.values())
    C = len(config.CHANNELS)
    S, R, C_ = scan.hu.shape
    g = G.Grid(R, C_, scan.pixel_spacing)
    out = {spec: np.zeros((S, R, C_), np.uint8) for spec in specs}
    offsets, runs = G.slice_offsets(scan.z, context), G.contiguous_runs(scan.z)
    with torch.no_grad():
        for k0 in range(0, S, batch):
            ks = range(k0, min(k0 + batch, S))
            stack = np.stack([scan.hu[G.context_slices(k, offsets, runs, scan.z)] for k in ks])
            x = torch.from_numpy(G.input_channels(g.pad(g.to_net(stack))))
            ys = {}
            for spec, ms in members.items():
                total = None
                for path, flip in ms:
                    if (path, flip) not in ys:
                        net = nets[path]
                        c0, c1 = (context - net.slice_context) * C, (context + net.slice_context + 1) * C
                        xi = x if (c0, c1) == (0, x.shape[1]) else x[:, c0:c1]
                        ys[path, flip] = net(xi.flip(-1)).flip(-1) if flip else net(xi)
                    y = ys[path, flip]
                    total = y if total is None else total + y
                p = (total if len(ms) == 1 else total / len(ms))[:, 0].numpy()
                out[spec][k0:k0 + batch] = G.quantise(g.to_orig(g.crop(p)))
    return out
