"""Classical baseline: bone mask + low-density cavity thresholding.

1. Filled bone per slice (lesions.bone_masks: HU > 180 after a 0.6 mm
   Gaussian, 2 mm closing, enclosed holes up to 2500 mm² filled), eroded
   by 1.5 mm so that the cortex edge is not a candidate.
2. Cavity candidates: 26-connected components of smoothed HU in (−30, 120)
   (soft-tissue density: not fat, air or lung) inside
   it.
3. A candidate must have at least 2 voxels, average ≥ 0 HU (fat pockets
   between bones are not lesions), and its ring (2-pixel in-plane
   dilation, outside the candidate) must look like trabecular bone: ring
   mean in [150, 500) HU, which rejects the spinal canal and foramina
   framed by cortex or by soft tissue. (These rules were tuned on
   validation scans only.)
4. Score = clip((ring mean − candidate mean) / 300, 0, 1): how much darker
   than its surroundings the cavity is. Sweeping the score threshold gives
   the FROC; the operating score is chosen on validation like the CNN's.
"""
import numpy as np
from scipy import ndimage as ndi

from .infer import label26, slice_depth
from .lesions import bone_masks, disk


def candidates(scan):
    """(findings with a 'score', label volume of candidates, score per label)."""
    ps = scan.pixel_spacing
    px = float(np.mean(ps))
    filled, _, _, sm = bone_masks(scan.hu, ps)
    er = disk(1.5 / px)
    interior = np.stack([ndi.binary_erosion(f, er, border_value=0) if f.any() else f for f in filled])
    cav = interior & (sm < 120) & (sm > -30)
    lab, n = label26(cav, scan)
    objs = ndi.find_objects(lab)
    ring_st = np.zeros((1, 5, 5), bool)
    ring_st[0] = disk(2)
    out, scores = [], np.zeros(n + 1)
    depth = slice_depth(scan)
    for i, sl in enumerate(objs, start=1):
        pad = tuple(slice(max(s.start - (0 if j == 0 else 3), 0), s.stop + (0 if j == 0 else 3)) for j, s in enumerate(sl))
        m = lab[pad] == i
        ring = ndi.binary_dilation(m, ring_st) & ~m & (lab[pad] != i)
        v = scan.hu[pad]  # raw HU: smoothing would mix fat pockets with their bony frame
        if not ring.any():
            continue
        ring_mean, mean = float(v[ring].mean()), float(v[m].mean())
        if not 150 <= ring_mean < 500 or mean < 0 or m.sum() < 2:
            continue
        score = float(np.clip((ring_mean - mean) / 300, 0, 1))
        if score <= 0:
            continue
        scores[i] = score
        ss, rr, cc = np.nonzero(m)
        cv = [cc.mean() + pad[2].start, rr.mean() + pad[1].start, ss.mean() + pad[0].start]
        s_lo, s_hi = ss.min() + pad[0].start, ss.max() + pad[0].start
        ext = [(cc.max() - cc.min() + 1) * ps[1], (rr.max() - rr.min() + 1) * ps[0],
               abs(scan.z[s_hi] - scan.z[s_lo]) + depth]
        out.append(dict(center_voxel=cv, center_mm=[float(x) for x in scan.voxel_to_mm(*cv)],
                        diameter_mm=float(max(ext)), voxels=int(m.sum()), max_probability=score, label=i))
    return out, lab, scores


def findings_at(cands, t, min_mm=0.0):
    return [f for f in cands if f["max_probability"] >= t and f["diameter_mm"] >= min_mm]


def score_map(lab, scores):
    """Per-voxel score (0 outside retained candidates), float32."""
    return scores.astype(np.float32)[lab]
