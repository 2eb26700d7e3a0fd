"""Python-side evaluation of the shipped bundle on the held-out test scans,
beside the classical baseline.

The network is assets/model/model.onnx itself, executed with PyTorch
operators (onnx_torch), with the app's preprocessing and postprocessing
replicated (infer.py): maps quantised to bytes on the original grid,
26-connected findings, the manifest's min_lesion_mm, and the matching rule
of metrics.py. The baseline's operating score is chosen on the validation
scans by the rule of select_threshold.py.

    python3 -m mv.evaluate   → runs/eval/python.json
"""
import json
import os
import pickle
import time

import numpy as np
import torch

from . import app, config
from . import grid as G
from .baseline import candidates, findings_at, score_map
from .infer import findings_sweep, probability_maps
from .metrics import Sweep, auc, bootstrap
from .onnx_torch import OnnxModule
from .select_threshold import choose
from .sources import Scan

FP_BUDGETS = (0.5, 1.0, 2.0)
OUT = os.path.join(config.RUNS, "eval")


def load_scan(path):
    with open(path, "rb") as f:
        d = pickle.load(f)
    d["hu"] = d["hu"].astype(np.float32)
    return Scan(**d)


def group_of(name):
    return "phantom" if name.startswith("phantom") else "blds" if name.startswith("blds") else "real"


class Collector:
    """Per-scan results of one method: findings per threshold, voxel
    counts for Dice at the operating threshold, per-slice scores."""

    def __init__(self, thresholds, op_t, min_mm):
        self.thresholds, self.op_t, self.min_mm = list(thresholds), op_t, min_mm
        self.items = []

    def add(self, scan, by_t, pred_mask, slice_scores):
        truth = scan.label > 0
        by_t = [[f for f in fs if f["diameter_mm"] >= self.min_mm] for fs in by_t]
        self.items.append(dict(name=scan.name, group=group_of(scan.name), lesions=scan.lesions, by_t=by_t,
                               tp=int(np.logical_and(pred_mask, truth).sum()), ps=int(pred_mask.sum()),
                               ys=int(truth.sum()), slice_scores=slice_scores,
                               slice_labels=truth.reshape(truth.shape[0], -1).any(axis=1)))

    def summary(self, items=None):
        items = self.items if items is None else items
        sw = Sweep(self.thresholds)
        for it in items:
            sw.add(it["name"], it["group"], it["lesions"], it["by_t"])
        scans = sw.scans
        i_op = self.thresholds.index(self.op_t)

        def froc(sc, size, budget):
            s, f, _ = sw.curve(sc, size)
            return Sweep.sens_at_fp(s, f, budget)

        def op(sc, size):
            s, f, n = sw.curve(sc, size)
            return s[i_op], f[i_op], n

        res = dict(scans=len(items), op_threshold=self.op_t, min_lesion_mm=self.min_mm)
        for size in (">=5 mm", "all"):
            for b in FP_BUDGETS:
                v = froc(scans, size, b)
                ci = bootstrap(scans, lambda sc: froc(sc, size, b))
                res["froc_%s_at_%g" % (size, b)] = dict(value=v, ci=ci)
        for size in ("<5 mm", "5-10 mm", ">10 mm", ">=5 mm", "all"):
            s, f, n = op(scans, size)
            ci = bootstrap(scans, lambda sc: op(sc, size)[0])
            res["sens_op_%s" % size] = dict(value=float(s), ci=ci, lesions=n)
        f = op(scans, "all")[1]
        res["fp_per_scan_op"] = dict(value=float(f), ci=bootstrap(scans, lambda sc: op(sc, "all")[1]))
        # findings on the lesions the source annotates itself, matching no inserted
        # lesion (metrics.match): left out of the false positives above
        res["left_out_op"] = int(sum(sc["left_out"][i_op] for sc in scans))
        idx = list(range(len(items)))

        def dice_of(ix):
            tp = sum(items[i]["tp"] for i in ix)
            d = sum(items[i]["ps"] + items[i]["ys"] for i in ix)
            return 2 * tp / d if d else float("nan")

        def auc_of(ix):
            return auc(np.concatenate([items[i]["slice_scores"] for i in ix]),
                       np.concatenate([items[i]["slice_labels"] for i in ix]))

        res["dice"] = dict(value=dice_of(idx), ci=bootstrap(idx, dice_of, n_boot=500))
        res["slice_auc"] = dict(value=auc_of(idx), ci=bootstrap(idx, auc_of, n_boot=300))
        s5, f5, _ = sw.curve(scans, ">=5 mm")
        res["curve"] = dict(thresholds=self.thresholds, sens5=[float(v) for v in s5], fp=[float(v) for v in f5])
        return res

    def by_group(self):
        out = {"all": self.summary()}
        for g in ("phantom", "real", "blds"):
            it = [x for x in self.items if x["group"] == g]
            if it:
                out[g] = self.summary(it)
        return out


def run_baseline(scans):
    items = []
    for sc in scans:
        cands, lab, scores = candidates(sc)
        items.append((sc, cands, lab, scores))
    return items


BASELINE_T = [round(float(t), 4) for t in np.arange(0.05, 0.951, 0.025)]


def main():
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-only", action="store_true", help="recompute the baseline, keep the CNN results")
    only_base = ap.parse_args().baseline_only
    torch.set_num_threads(2)
    t0 = time.time()
    os.makedirs(OUT, exist_ok=True)
    man = json.load(open(os.path.join(config.BUNDLE, "model.json")))
    op_t = man["postprocessing"]["operating_threshold"]
    min_mm = man["postprocessing"]["min_lesion_mm"]
    net = OnnxModule(os.path.join(config.BUNDLE, "model.onnx")).eval()
    thresholds = sorted(set(app.THRESHOLDS) | {op_t})

    # baseline operating score on validation (same rule as the CNN's threshold)
    val_items = []
    for name, path in app.scan_files("val"):
        sc = load_scan(path)
        cands, _, _ = candidates(sc)
        val_items.append((sc.name, group_of(sc.name), sc.lesions, [findings_at(cands, t) for t in BASELINE_T]))
    b_best, b_budget, _ = choose(val_items, BASELINE_T)
    print("baseline operating point on validation: %s (%.0f s)" % (json.dumps(b_best), time.time() - t0), flush=True)

    cnn = Collector(thresholds, op_t, min_mm)
    base = Collector(BASELINE_T, b_best["t"], b_best["min_mm"])
    qt = G.quant_threshold(op_t)
    for name, path in app.scan_files("test"):
        sc = load_scan(path)
        if not only_base:
            with torch.no_grad():
                maps = probability_maps(net, sc)
            cnn.add(sc, findings_sweep(maps, sc, thresholds), maps >= qt,
                    maps.reshape(maps.shape[0], -1).max(axis=1) / 255.0)
        cands, lab, scores = candidates(sc)
        smap = score_map(lab, scores)
        base.add(sc, [findings_at(cands, t) for t in BASELINE_T], smap >= b_best["t"],
                 smap.reshape(smap.shape[0], -1).max(axis=1))
        print("%s: %d lesions (%.0f s)" % (sc.name, len(sc.lesions), time.time() - t0), flush=True)
    res = dict(model=dict(name=man["name"], version=man["version"], sha256=man["sha256"]),
               cnn=None if only_base else cnn.by_group(), baseline=base.by_group(), baseline_choice=b_best,
               seconds=time.time() - t0)
    if only_base:
        old = json.load(open(os.path.join(OUT, "python.json")))
        assert old["model"]["sha256"] == man["sha256"], "python.json is for another model"
        res["cnn"] = old["cnn"]
    json.dump(res, open(os.path.join(OUT, "python.json"), "w"), indent=1)
    print("wrote %s (%.0f s)" % (os.path.join(OUT, "python.json"), time.time() - t0))


if __name__ == "__main__":
    main()
