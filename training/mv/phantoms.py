"""Phantoms from package sample, through the mvtrain Go helper."""
import json
import os
import shutil
import subprocess

import numpy as np

from . import config
from .sources import Scan


_built = False


def build_tool():
    """go build the helper once per process (it imports sample, dicomio and
    inference, not Fyne; Go's build cache makes a rebuild take a second),
    so that a stale binary never answers for the current source."""
    global _built
    if _built:
        return config.MVTRAIN
    os.makedirs(os.path.dirname(config.MVTRAIN), exist_ok=True)
    env = dict(os.environ)
    env["PATH"] = "/usr/local/go/bin:" + env.get("PATH", "")
    subprocess.run(["go", "build", "-o", config.MVTRAIN, "./training/cmd/mvtrain"], cwd=config.REPO, env=env, check=True)
    _built = True
    return config.MVTRAIN


def tool_env():
    env = dict(os.environ)
    if os.path.exists(config.ORT_LIB):
        env.setdefault("MYELOVIEW_ORT_LIB", config.ORT_LIB)
    env.setdefault("GOMAXPROCS", "2")
    return env


def generate(jobs, out, dicom=False, breach=0.0, texture=0.0, hiatus=False):
    """jobs: [(seed, slices, size)]; returns the folders, in job order.
    breach, texture, hiatus: sample.Options.BreachFraction, TextureHU and
    SacralHiatus (0 / False: the phantom without them)."""
    os.makedirs(out, exist_ok=True)
    suffix, name = "", "%d_%d_%d"
    if breach or texture or hiatus:
        suffix += " %g" % breach
        name += "_b%g" % breach
    if texture or hiatus:
        suffix += " %g" % texture
        name += "_t%g" % texture
    if hiatus:
        suffix += " 1"
        name += "_h"
    lines = "".join("%d %d %d%s\n" % (j + (suffix,)) for j in jobs)
    args = [build_tool(), "phantoms", "-out", out] + (["-dicom"] if dicom else [])
    subprocess.run(args, input=lines.encode(), check=True, env=tool_env(), stdout=subprocess.DEVNULL)
    return [os.path.join(out, name % j) for j in jobs]


def shape_for(seed, shapes):
    return shapes[seed % len(shapes)]


def load(folder, drop=False):
    """A phantom folder (hu.npy, mask.npy, ground_truth.json) as a Scan."""
    gt = json.load(open(os.path.join(folder, "ground_truth.json")))
    hu = np.load(os.path.join(folder, "hu.npy")).astype(np.float32)
    mask = np.load(os.path.join(folder, "mask.npy"))
    if drop:
        shutil.rmtree(folder)
    n = gt["slices"]
    z = gt["first_image_position"][2] - np.arange(n) * gt["slice_spacing"]
    les = [dict(id=l["id"], center_voxel=l["center_voxel"], center_mm=l["center_mm"],
                diameter_mm=l["diameter_mm"], nominal_diameter_mm=l["diameter_mm"], mean_hu=l["mean_hu"],
                breach=bool(l.get("breach", False)), bone=l["bone"]) for l in gt["lesions"]]
    return Scan(name="phantom-%d" % gt["seed"], hu=hu, pixel_spacing=tuple(gt["pixel_spacing"]), z=z,
                thickness=gt["slice_thickness"], origin_xy=tuple(gt["first_image_position"][:2]),
                lesions=les, label=mask, kind="phantom")
