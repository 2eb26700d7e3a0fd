"""Running the Go pipeline (mvtrain analyze: LoadBundle → NewAnalyzer →
AnalyzeSeries, as `myeloview analyze` does) and preparing DICOM inputs."""
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import tempfile

import numpy as np

from . import config, phantoms
from .dicom_out import write_series

# The sweep for threshold choice and FROC: 0.05–0.95 in steps of 0.025, then
# finer steps up to 0.9875 for networks whose lesion probabilities saturate
# (the 1.0 mm grid network's false positives sit at p > 0.95).
THRESHOLDS = [round(float(t), 4) for t in np.arange(0.05, 0.951, 0.025)] + [0.9625, 0.975, 0.9875]


def analyze(bundle, dirs, thresholds=(), maps_dir=None, analyze_cmd=None):
    """Findings per series folder; with maps_dir, each series' uint8 maps
    are written as maps_dir/<index>.npy."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "findings.json")
        args = [phantoms.build_tool(), "analyze", "-model", bundle, "-out", out]
        if thresholds:
            args += ["-thresholds", ",".join(str(t) for t in thresholds)]
        if maps_dir:
            args += ["-maps", maps_dir]
        subprocess.run(args + list(dirs), check=True, env=phantoms.tool_env())
        return json.load(open(out))


def dicom_dirs(split, scans_meta):
    """Write the split's scans as DICOM series under cache/dicom/<split>:
    phantoms with sample.Write (the `myeloview sample` writer), real scans
    with dicom_out. Returns [(folder, ground-truth lesions, scan name, group)]."""
    root = os.path.join(config.CACHE, "dicom", split)
    out = []
    seeds = {"val": config.PHANTOM_VAL, "test": config.PHANTOM_TEST}[split]
    jobs = [(s,) + phantoms.shape_for(s, config.PHANTOM_SHAPES_EVAL) for s in seeds]
    folders = phantoms.generate(jobs, os.path.join(root, "phantoms"), dicom=True)
    for (seed, _, _), f in zip(jobs, folders):
        gt = json.load(open(os.path.join(f, "ground_truth.json")))
        out.append((f, gt["lesions"], "phantom-%d" % seed, "phantom"))
    for name, path in scans_meta:
        if name.startswith("phantom-"):
            continue
        f = os.path.join(root, name.replace("/", "_").replace("#", "_r"))
        # the DICOM copy is reused only while it was written from this very
        # scan: a rebuilt data set (new lesions) must not meet stale images
        with open(path, "rb") as fh:
            blob = fh.read()
        digest = hashlib.sha256(blob).hexdigest()
        stamp = os.path.join(f, "source.sha256")
        if not (os.path.exists(os.path.join(f, "ground_truth.json")) and os.path.exists(stamp)
                and open(stamp).read().strip() == digest):
            shutil.rmtree(f, ignore_errors=True)
            d = pickle.loads(blob)
            from .sources import Scan
            d["hu"] = d["hu"].astype(np.float32)
            write_series(Scan(**d), f)
            with open(stamp, "w") as fh:
                fh.write(digest + "\n")
        gt = json.load(open(os.path.join(f, "ground_truth.json")))
        out.append((f, gt["lesions"], name, "blds" if name.startswith("blds") else "real"))
    return out


def scan_files(split, data=None):
    """(name, pickle path) of the split's whole scans in data (default
    cache/data; mv.build_data --data writes an experiment's set elsewhere)."""
    d = os.path.join(data or os.path.join(config.CACHE, "data"), "scans", split)
    out = []
    for fn in sorted(os.listdir(d)):
        out.append((fn[:-4], os.path.join(d, fn)))
    return out
