"""Bone masks and synthetic lytic lesions inserted into CT volumes.

Lesions are made the way the phantom (package sample) makes them, but on
real CT and with more variety:

* where: the centre is a voxel centre inside trabecular marrow (a bone
  mask from a HU threshold and per-slice morphology, eroded past the
  cortex and kept away from soft-tissue holes such as the spinal canal);
  "contained" lesions are clipped to the marrow, "breaching" ones
  (BREACH_FRACTION) start near the cortex and may replace it and extend
  up to BREACH_OUT_MM into fat outside the bone. They never extend into
  the canal or into muscle and organs: there a 20–60 HU lesion would
  look exactly like the tissue it replaced, and labelling unchanged soft
  tissue as lesion taught the network to mark the spinal canal;
* shape: a union of 1–4 randomly rotated ellipsoidal lobes inside the
  sphere of the nominal radius, with a smooth random inward perturbation
  of the surface (lobulated, irregular, sharply marginated);
* size: diameter 3–30 mm (the diameter of the sphere about the centre that
  bounds the lesion, as sample.Lesion.DiameterMM), drawn so that the size
  bins < 5, 5–10 and > 10 mm are about equally represented;
* density: 20–60 HU plus noise whose standard deviation and neighbour
  correlation are measured on the slice's own soft tissue, and a faint
  low-frequency heterogeneity;
* partial volume: a one-pixel linear ramp in-plane and averaging over the
  slice thickness (sub-planes 0.75 mm apart); the label is the voxels
  whose covered fraction is ≥ ½.
"""
import math

import numpy as np
from scipy import ndimage as ndi

BREACH_FRACTION = 0.25
BREACH_OUT_MM = 4.0
HU_RANGE = (20.0, 60.0)
SOFT_HOLE_HU = 70.0       # canal: CSF and cord ~0–40 HU; marrow (below) starts at 70
FAT_HU = (-300.0, -30.0)  # outside the bone, breaching lesions replace fat only


def disk(radius_px):
    r = max(int(math.ceil(radius_px)), 1)
    y, x = np.mgrid[-r:r + 1, -r:r + 1]
    return (x * x + y * y) <= radius_px * radius_px + 1e-9


def bone_masks(hu, pixel_mm):
    """Per-slice masks (bool [s, r, c]): filled bone (cortex and what it
    encloses, holes up to 2500 mm² so the spinal canal but not the pelvic
    cavity), soft-tissue holes (the filled holes whose median smoothed HU
    is under SOFT_HOLE_HU: the spinal and sacral canal, foramina), and
    marrow (filled bone ≥ 1.5 mm inside its outline and ≥ 1.5 mm from a
    soft-tissue hole, smoothed HU in [70, 600], no component under 8 mm²)."""
    px = float(np.mean(pixel_mm))
    sm = ndi.gaussian_filter(hu, sigma=(0, 0.6 / px, 0.6 / px))
    filled = np.zeros(hu.shape, bool)
    soft_holes = np.zeros(hu.shape, bool)
    marrow = np.zeros(hu.shape, bool)
    close = disk(2.0 / px)
    erode = disk(1.5 / px)
    max_hole = 2500.0 / (px * px)
    min_marrow = 8.0 / (px * px)
    for k in range(hu.shape[0]):
        b = sm[k] > 180
        if not b.any():
            continue
        b = ndi.binary_closing(b, close, border_value=0)
        holes = ndi.binary_fill_holes(b) & ~b
        lab, n = ndi.label(holes)
        if n:
            idx = np.arange(1, n + 1)
            sizes = ndi.sum(np.ones_like(lab), lab, index=idx)
            keep = np.concatenate([[False], sizes <= max_hole])
            b = b | keep[lab]
            soft = np.concatenate([[False], (sizes <= max_hole) & (ndi.median(sm[k], lab, idx) < SOFT_HOLE_HU)])
            soft_holes[k] = soft[lab]
        filled[k] = b
        m = ndi.binary_erosion(b, erode, border_value=0) & (sm[k] > 70) & (sm[k] < 600)
        if soft_holes[k].any():
            m &= ~ndi.binary_dilation(soft_holes[k], erode)
        lab, n = ndi.label(m)
        if n:
            sizes = ndi.sum(np.ones_like(lab), lab, index=np.arange(1, n + 1))
            keep = np.concatenate([[False], sizes >= min_marrow])
            m = keep[lab]
        marrow[k] = m
    return filled, soft_holes, marrow, sm


def noise_model(hu, sm, pixel_mm):
    """Per slice (σ HU, Gaussian blur σ in px) of the image noise, measured
    on homogeneous soft tissue: residual after a 9×9 mean, lag-1
    autocorrelation turned into the blur of white noise that has it."""
    out = []
    for k in range(hu.shape[0]):
        img = hu[k].astype(np.float64)
        res = img - ndi.uniform_filter(img, 9)
        soft = (sm[k] > -30) & (sm[k] < 120)
        soft = ndi.binary_erosion(soft, disk(3), border_value=0)
        if soft.sum() < 200:
            out.append((12.0, 0.0))
            continue
        v = res[soft]
        # robust σ (MAD), corrected for the mean removal
        sigma = 1.4826 * np.median(np.abs(v - np.median(v))) * math.sqrt(81 / 80)
        a, b = res[:, :-1], res[:, 1:]
        m = soft[:, :-1] & soft[:, 1:]
        rho = float(np.sum(a[m] * b[m]) / max(np.sqrt(np.sum(a[m] ** 2) * np.sum(b[m] ** 2)), 1e-9))
        rho = min(max(rho, 0.0), 0.9)
        blur = math.sqrt(-1.0 / (4.0 * math.log(rho))) if rho > 0.1 else 0.0
        out.append((float(min(max(sigma, 3.0), 80.0)), blur))
    return out


def correlated_noise(rng, shape, sigma, blur):
    w = rng.standard_normal(shape)
    if blur > 0:
        w = ndi.gaussian_filter(w, sigma=(0,) * (len(shape) - 2) + (blur, blur))
    s = w.std()
    return w * (sigma / s if s > 0 else 0)


def random_rotation(rng):
    q = rng.standard_normal(4)
    q /= np.linalg.norm(q)
    a, b, c, d = q
    return np.array([[a*a+b*b-c*c-d*d, 2*(b*c-a*d), 2*(b*d+a*c)],
                     [2*(b*c+a*d), a*a-b*b+c*c-d*d, 2*(c*d-a*b)],
                     [2*(b*d-a*c), 2*(c*d+a*b), a*a-b*b-c*c+d*d]])


class Shape:
    """A lobulated blob inside the sphere of radius r about the origin."""

    def __init__(self, rng, r):
        self.r = r
        n = int(rng.integers(1, 5))
        self.lobes = []
        for i in range(n):
            # |offset| + lobe radius ≤ r; the first lobe touches the sphere
            rho = r * rng.uniform(0.55, 0.85) if i else r * rng.uniform(0.7, 1.0)
            dist = r - rho if i == 0 else rng.uniform(0, r - rho)
            d = rng.standard_normal(3)
            off = d / np.linalg.norm(d) * dist
            axes = rho * np.array([1.0, rng.uniform(0.6, 1.0), rng.uniform(0.6, 1.0)])
            self.lobes.append((off, random_rotation(rng), axes))
        self.waves = [(rng.standard_normal(3) * rng.uniform(1.5, 4.0) / r, rng.uniform(0, 2 * np.pi))
                      for _ in range(4)]
        self.amp = rng.uniform(0.0, 0.18) * r

    def sd(self, p):
        """Approximate signed distance (mm, negative inside) at points p [..., 3]."""
        f = np.full(p.shape[:-1], np.inf)
        for off, rot, axes in self.lobes:
            q = (p - off) @ rot
            g = np.sqrt(np.sum((q / axes) ** 2, axis=-1))
            f = np.minimum(f, (g - 1) * axes.min())
        u = sum(np.sin(p @ k + ph) for k, ph in self.waves) / len(self.waves)
        return f + self.amp * (u + 1) / 2  # inward only: the bound stays r


def draw_diameter(rng):
    b = rng.random()
    if b < 0.3:
        return rng.uniform(3.0, 5.0)
    if b < 0.65:
        return math.exp(rng.uniform(math.log(5.0), math.log(10.0)))
    return math.exp(rng.uniform(math.log(10.0), math.log(30.0)))


def insert_lesions(scan, rng, n_lesions, existing=None, max_tries=60):
    """Insert up to n_lesions lesions into scan.hu in place, filling
    scan.label (uint8 ids continuing after existing ones) and appending
    ground truth dicts to scan.lesions. existing: label volume of lesions
    already there (phantom lesions), kept apart from new ones."""
    hu = scan.hu
    S, R, C = hu.shape
    ps_r, ps_c = scan.pixel_spacing
    px = (ps_r + ps_c) / 2
    if scan.label is None:
        scan.label = np.zeros(hu.shape, np.uint8) if existing is None else existing.astype(np.uint8).copy()
    filled, soft_holes, marrow, sm = bone_masks(hu, (ps_r, ps_c))
    if not marrow.any():
        return 0
    noise = noise_model(hu, sm, (ps_r, ps_c))
    # in-plane depth inside the marrow (mm)
    depth = np.stack([ndi.distance_transform_edt(marrow[k], sampling=(ps_r, ps_c)) if marrow[k].any()
                      else np.zeros((R, C)) for k in range(S)])
    fat_outside = ~filled & (sm > FAT_HU[0]) & (sm < FAT_HU[1])
    near_bone = np.stack([ndi.distance_transform_edt(~filled[k], sampling=(ps_r, ps_c)) <= BREACH_OUT_MM
                          if filled[k].any() else np.zeros((R, C), bool) for k in range(S)])
    breach_region = marrow | (filled & ~soft_holes) | (fat_outside & near_bone)
    occupied = scan.label > 0
    blocked = ndi.binary_dilation(occupied, iterations=2) if occupied.any() else np.zeros_like(occupied)
    z = scan.z
    thick = scan.thickness
    sub = max(1, int(math.ceil(thick / 0.75)))
    sub_off = (np.arange(sub) + 0.5) / sub * thick - thick / 2
    next_id = int(scan.label.max()) + 1
    added = 0
    for _ in range(max_tries):
        if added >= n_lesions or next_id > 255:
            break
        d = draw_diameter(rng)
        r = d / 2
        breach = rng.random() < BREACH_FRACTION
        if breach:
            cand = marrow & (depth <= max(0.5 * r, 2 * px)) & (depth > 0)
        else:
            cand = marrow & (depth >= max(0.5 * r, px))
        cand &= ~blocked
        idx = np.flatnonzero(cand)
        if idx.size == 0:
            continue
        s0, r0, c0 = np.unravel_index(idx[rng.integers(idx.size)], hu.shape)
        centre = np.array([scan.origin_xy[0] + c0 * ps_c, scan.origin_xy[1] + r0 * ps_r, z[s0]])
        shape = Shape(rng, r)
        # voxel box around the centre
        rr = int(math.ceil((r + px) / ps_r)) + 1
        rc = int(math.ceil((r + px) / ps_c)) + 1
        if scan.contiguous:
            ks = [k for k in range(S) if abs(z[k] - z[s0]) <= r + thick / 2]
        else:
            ks = [s0]
        r_lo, r_hi = max(r0 - rr, 0), min(r0 + rr + 1, R)
        c_lo, c_hi = max(c0 - rc, 0), min(c0 + rc + 1, C)
        ys = scan.origin_xy[1] + np.arange(r_lo, r_hi) * ps_r - centre[1]
        xs = scan.origin_xy[0] + np.arange(c_lo, c_hi) * ps_c - centre[0]
        frac = np.zeros((len(ks), r_hi - r_lo, c_hi - c_lo))
        for i, k in enumerate(ks):
            for o in sub_off:
                zz = z[k] + o - centre[2]
                P = np.stack(np.broadcast_arrays(xs[None, :], ys[:, None], np.full((1, 1), zz)), -1)
                frac[i] += np.clip(0.5 - shape.sd(P) / px, 0, 1)
            frac[i] /= len(sub_off)
        region = (breach_region if breach else marrow)[ks][:, r_lo:r_hi, c_lo:c_hi]
        free = ~occupied[ks][:, r_lo:r_hi, c_lo:c_hi]
        full = frac >= 0.5
        frac = frac * region * free
        mask = frac >= 0.5
        if mask.sum() == 0 or mask.sum() < 0.6 * full.sum():
            continue  # clipped away too much: not a well-defined lesion
        ci = ks.index(s0)
        if not mask[ci, r0 - r_lo, c0 - c_lo]:
            continue  # the centre voxel must be lesion
        mu = rng.uniform(*HU_RANGE)
        for i, k in enumerate(ks):
            f = frac[i]
            if not f.any():
                continue
            sigma, blur = noise[k]
            n = correlated_noise(rng, (1, 1) + f.shape, sigma, blur)[0, 0]
            het = ndi.gaussian_filter(rng.standard_normal(f.shape), 2.0 / px)
            het *= 5.0 / max(het.std(), 1e-6)
            patch = hu[k, r_lo:r_hi, c_lo:c_hi]
            patch[...] = (1 - f) * patch + f * (mu + n + het)
            lab = scan.label[k, r_lo:r_hi, c_lo:c_hi]
            lab[mask[i]] = next_id
            occupied[k, r_lo:r_hi, c_lo:c_hi] |= mask[i]
            blocked[k, r_lo:r_hi, c_lo:c_hi] |= ndi.binary_dilation(mask[i], iterations=2)
        # bounding-sphere diameter of what remains (≤ the nominal one)
        kk, yy, xx = np.nonzero(mask)
        dzz = z[np.array(ks)[kk]] - centre[2]
        dist = np.sqrt((ys[yy]) ** 2 + (xs[xx]) ** 2 + dzz ** 2)
        diam = min(d, 2 * (dist.max() + 0.5 * px)) if dist.size else d
        scan.lesions.append(dict(id=next_id, center_voxel=[float(c0), float(r0), float(s0)],
                                 center_mm=[float(v) for v in centre], diameter_mm=float(diam),
                                 nominal_diameter_mm=float(d), mean_hu=float(mu), breach=bool(breach),
                                 bone="inserted"))
        next_id += 1
        added += 1
    return added
