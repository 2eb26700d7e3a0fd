"""The thin-slice check (README.md, "Thin slices"): validation phantoms
(seeds 1200-1209, never trained on) written at 600 slices of 1 mm and 512²
by `myeloview sample --seg`, analysed by `myeloview analyze --reference`
with a bundle, optionally after averaging to slabs (mv.slab). Prints each
phantom's reference line and the totals, and the same counted against
ground_truth.json (lesions by their true diameter, as the model card and
the Go regression count them; the reference line counts the segmentation's
connected pieces, whose number and extent change with the slice thickness).

    python3 -m mv.thin_check [--model BUNDLE-DIR] [--slab MM] [--seeds 1200-1209]
"""
import argparse
import json
import os
import re
import shutil
import subprocess

from . import config, phantoms
from .metrics import in_bin, match
from .slab import write_dicom_slabs

LINE = re.compile(r"reference: (\d+) of (\d+) lesions found \((\d+) of (\d+) of 5 mm or more\), (\d+) false positives")


def false_positives(doc):
    """The findings of a findings.json series that match none of its
    reference lesions by the model card's rule (metrics.match, as
    report.ScoreReference), in order."""
    findings = doc["findings"]
    _, fp = match(findings, doc["reference"]["lesions"])
    return [f for f, is_fp in zip(findings, fp) if is_fp]


def ground_truth_counts(doc, lesions):
    """(lesions >= 5 mm found, lesions >= 5 mm, false positives) of a
    findings.json series against ground_truth.json lesions."""
    det, fp = match(doc["findings"], lesions)
    big = [in_bin(l["diameter_mm"], ">=5 mm") for l in lesions]
    return sum(d for d, b in zip(det, big) if b), sum(big), int(sum(fp))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="", help="bundle folder (default: the app's built-in bundle)")
    ap.add_argument("--slab", type=float, default=0.0, help="average the slices to slabs this thick first (mm)")
    ap.add_argument("--seeds", default="1200-1209")
    ap.add_argument("--slices", type=int, default=600)
    ap.add_argument("--size", type=int, default=512)
    args = ap.parse_args()
    lo, _, hi = args.seeds.partition("-")
    seeds = range(int(lo), int(hi or lo) + 1)
    env = phantoms.tool_env()
    env["PATH"] = "/usr/local/go/bin:" + env.get("PATH", "")
    tool = os.path.join(config.CACHE, "bin", "myeloview")
    subprocess.run(["go", "build", "-o", tool, "."], cwd=config.REPO, env=env, check=True)
    root = os.path.join(config.CACHE, "thin")
    tot, gt_tot = [0] * 5, [0] * 3
    for seed in seeds:
        src = os.path.join(root, "%d_%d_%d" % (seed, args.slices, args.size))
        if not os.path.exists(os.path.join(src, "ground_truth_seg.dcm")):
            shutil.rmtree(src, ignore_errors=True)
            subprocess.run([tool, "sample", "--out", src, "--slices", str(args.slices), "--size", str(args.size),
                            "--seed", str(seed), "--seg"], env=env, check=True, stdout=subprocess.DEVNULL)
        study = src
        if args.slab:
            study = src + "_slab%g" % args.slab
            shutil.rmtree(study, ignore_errors=True)
            write_dicom_slabs(src, study, args.slab)
        out = os.path.join(root, "out")
        shutil.rmtree(out, ignore_errors=True)
        cmd = [tool, "analyze", study, "--out", out, "--no-cache", "--reference"] + (["--model", args.model] if args.model else [])
        r = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
        m = LINE.search(r.stdout + r.stderr)
        if not m:
            raise SystemExit("seed %d: no reference line in: %s" % (seed, r.stdout + r.stderr))
        tot = [a + int(b) for a, b in zip(tot, m.groups())]
        print("seed %d: %s" % (seed, m.group(0)), flush=True)
        doc = json.load(open(os.path.join(out, "findings.json")))["series"][0]
        gt = ground_truth_counts(doc, json.load(open(os.path.join(src, "ground_truth.json")))["lesions"])
        gt_tot = [a + b for a, b in zip(gt_tot, gt)]
        print("  ground truth: %d of %d lesions of 5 mm or more found, %d false positives" % gt, flush=True)
        listed = false_positives(doc)
        for f in listed:
            hu = "%.0f HU" % f["mean_hu"] if f.get("mean_hu") is not None else "no HU"
            print("  false positive: centre (%.0f, %.0f, %.0f) mm, %.1f mm, p %.2f, mean %s" % (
                tuple(f["center_mm"]) + (f["diameter_mm"], f["max_probability"], hu)))
        if len(listed) != int(m.group(5)):
            # analyze also spares findings on reference lesions under
            # min_lesion_mm, which findings.json does not list
            print("  (%d listed, %s counted: the rest lie on lesions under the model's minimum size)" % (
                len(listed), m.group(5)))
    print("total: %d of %d lesions found (%d of %d of 5 mm or more), %d false positives in %d phantoms (%.2f per phantom)" % (
        tuple(tot) + (len(seeds), tot[4] / len(seeds))))
    print("total against ground truth: %d of %d lesions of 5 mm or more found, %d false positives (%.2f per phantom)" % (
        tuple(gt_tot) + (gt_tot[2] / len(seeds),)))


if __name__ == "__main__":
    main()
