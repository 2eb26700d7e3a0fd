"""Evaluation through the Go application on the held-out test series.

Test scans are written as DICOM (phantoms with sample.Write, i.e. what
`myeloview sample` writes; real CT with inserted lesions with dicom_out),
analysed by the inference package exactly as `myeloview analyze` does
(mvtrain analyze: LoadBundle → NewAnalyzer → AnalyzeSeries on the CPU,
cache off) with the committed bundle, and scored from the findings the app
returns (its own components, centres in patient mm and min_lesion_mm) and
its probability maps (Dice, slice AUC).

    python3 -m mv.evaluate_app   → runs/eval/app.json
"""
import json
import os
import pickle
import shutil
import tempfile
import time

import numpy as np

from . import app, config
from . import grid as G
from .evaluate import OUT, Collector, group_of
from .metrics import match_left_out
from .sources import annotated_regions


def main():
    t0 = time.time()
    os.makedirs(OUT, exist_ok=True)
    man = json.load(open(os.path.join(config.BUNDLE, "model.json")))
    op_t = man["postprocessing"]["operating_threshold"]
    min_mm = man["postprocessing"]["min_lesion_mm"]
    thresholds = sorted(set(app.THRESHOLDS) | {op_t})
    series = app.dicom_dirs("test", app.scan_files("test"))
    scan_paths = dict(app.scan_files("test"))
    coll = Collector(thresholds, op_t, min_mm)
    timings = []
    qt = G.quant_threshold(op_t)
    operating = []
    chunk = 8
    for i in range(0, len(series), chunk):
        part = series[i:i + chunk]
        tmp = tempfile.mkdtemp(dir=config.CACHE)
        try:
            results = app.analyze(config.BUNDLE, [s[0] for s in part], thresholds, maps_dir=tmp)
            for j, (r, (d, les, name, group)) in enumerate(zip(results, part)):
                maps = np.load(os.path.join(tmp, "%d.npy" % j))
                # the app sorts slices along the normal; ground-truth labels are in the
                # scan's own order, so read the labels from the cached scan and align by z
                truth = label_in_app_order(name, scan_paths, r["slice_z"], maps.shape)
                sc = _Stub(name, les, truth)
                coll.add(sc, [r["sweep"][str(t)] for t in thresholds], maps >= qt,
                         maps.reshape(maps.shape[0], -1).max(axis=1) / 255.0)
                det, fp, left_out = match_left_out(r["findings"], les, annotated_regions(name))
                operating.append(dict(name=name, group=group, lesions=len(les), detected=int(det.sum()),
                                      false_positives=int(fp.sum()), findings=len(r["findings"]),
                                      left_out=int(left_out.sum()),
                                      inference_ms=r["inference_ms"], slices=r["slices"], rows=r["rows"]))
                timings.append((r["rows"], r["cols"], r["slices"], r["inference_ms"]))
        finally:
            shutil.rmtree(tmp)
        print("%d/%d series (%.0f s)" % (min(i + chunk, len(series)), len(series), time.time() - t0), flush=True)
    res = dict(model=dict(name=man["name"], version=man["version"], sha256=man["sha256"]),
               app=coll.by_group(), operating=operating, seconds=time.time() - t0,
               ms_per_slice={"%dx%d" % k: float(np.mean([t[3] / t[2] for t in timings if (t[0], t[1]) == k]))
                             for k in {(t[0], t[1]) for t in timings}})
    json.dump(res, open(os.path.join(OUT, "app.json"), "w"), indent=1)
    print("wrote %s (%.0f s)" % (os.path.join(OUT, "app.json"), time.time() - t0))


class _Stub:
    def __init__(self, name, lesions, label):
        self.name, self.lesions, self.label = name, lesions, label


def label_in_app_order(name, scan_paths, app_z, shape):
    """Lesion labels of the scan, slices in the app's order: the app sorts
    along the slice normal in the direction of increasing Instance Number
    (dicomio.Series.sortFrames), which differs between writers, so each
    map slice is matched to the label slice at its z (within 0.01 mm)."""
    with open(scan_paths[name if name in scan_paths else _pickle_name(name, scan_paths)], "rb") as f:
        d = pickle.load(f)
    lab, z = d["label"], np.asarray(d["z"], float)
    idx = [int(np.argmin(np.abs(z - az))) for az in app_z]
    assert all(abs(z[i] - az) < 0.01 for i, az in zip(idx, app_z)), (name, "slice positions differ")
    assert len(set(idx)) == len(idx), (name, "duplicate slice positions")
    lab = lab[idx]
    assert lab.shape == tuple(shape), (name, lab.shape, shape)
    return lab


def _pickle_name(name, scan_paths):
    for k in scan_paths:
        if k.replace("#", "_r") == name or k == name:
            return k
    raise KeyError(name)


if __name__ == "__main__":
    main()
