"""Write the evaluation tables (runs/eval/python.json, app.json) into
assets/model/MODEL_CARD.md between the metrics markers, and print them.

    python3 -m mv.report
"""
import json
import os
import re

from . import config
from .evaluate import OUT

BEGIN, END = "<!-- metrics:begin -->", "<!-- metrics:end -->"


def pct(m):
    v, (lo, hi) = m["value"], m["ci"]
    return "%.1f %% (%.1f–%.1f)" % (100 * v, 100 * lo, 100 * hi)


def num(m, f="%.2f"):
    v, (lo, hi) = m["value"], m["ci"]
    return (f + " (" + f + "–" + f + ")") % (v, lo, hi)


def rows(cols):
    """cols: [(header, summary)]."""
    out = ["| Test set, held out | " + " | ".join(h for h, _ in cols) + " |",
           "|---|" + "---|" * len(cols)]

    def line(label, fn):
        out.append("| %s | %s |" % (label, " | ".join(fn(s) for _, s in cols)))

    for size, lab in ((">=5 mm", "≥ 5 mm"), ("all", "all sizes")):
        for b in (0.5, 1, 2):
            line("Sensitivity, %s, at %g FP/scan (FROC)" % (lab, b), lambda s, k="froc_%s_at_%g" % (size, b): pct(s[k]))
    line("Operating point: FP per scan", lambda s: num(s["fp_per_scan_op"]))
    line("Operating point: findings on annotated real lesions, left out of the FP",
         lambda s: str(s["left_out_op"]))
    for size, lab in ((">=5 mm", "≥ 5 mm"), ("<5 mm", "< 5 mm"), ("5-10 mm", "5–10 mm"), (">10 mm", "> 10 mm")):
        line("Operating point: sensitivity %s" % lab,
             lambda s, k="sens_op_%s" % size: "%s, n=%d" % (pct(s[k]), s[k]["lesions"]))
    line("Voxel Dice (operating threshold)", lambda s: num(s["dice"], "%.3f"))
    line("Slice-level AUC", lambda s: num(s["slice_auc"], "%.3f"))
    out.append("| Scans | " + " | ".join(str(s["scans"]) for _, s in cols) + " |")
    return out


def table():
    py = json.load(open(os.path.join(OUT, "python.json")))
    ap = json.load(open(os.path.join(OUT, "app.json"))) if os.path.exists(os.path.join(OUT, "app.json")) else None
    lines = []
    names = {"all": "All test scans", "phantom": "Phantoms (`myeloview sample`, seeds 1240–1279)",
             "real": "ct-kits (real CT, 10 slices) with inserted lesions",
             "blds": "BLDS patch 8 (real CT, 96 mm cube) with inserted lesions"}
    for g in ("all", "phantom", "real", "blds"):
        if g not in py["cnn"]:
            continue
        cols = []
        if ap and g in ap["app"]:
            cols.append(("CNN through the Go app", ap["app"][g]))
        cols.append(("CNN, Python replica", py["cnn"][g]))
        cols.append(("Classical baseline", py["baseline"][g]))
        lines += ["", "**%s**" % names[g], ""] + rows(cols)
    b = py["baseline_choice"]
    lines += ["", "Model sha256 `%s`. Operating threshold %.3f, min_lesion_mm %g (chosen on validation); "
              "baseline operating score %.3f (HU contrast %.0f), min %g mm, chosen on validation by the same rule. "
              "95 %% confidence intervals: percentile bootstrap over scans." % (
                  py["model"]["sha256"], py["cnn"]["all"]["op_threshold"], py["cnn"]["all"]["min_lesion_mm"],
                  b["t"], 300 * b["t"], b["min_mm"])]
    if ap:
        ms = ", ".join("%s: %.1f ms" % kv for kv in sorted(ap["ms_per_slice"].items()))
        lines += ["", "Go app network time per slice during the evaluation (batched, this shared 2-core "
                  "machine): " + ms + "."]
    tj = os.path.join(OUT, "timing.json")
    if os.path.exists(tj):
        t = json.load(open(tj))
        lines += ["", "**Speed** (ONNX Runtime 1.24.1 from Go, 2 intra-op threads, %s, %s cores, load "
                  "average %s during the run):" % (t.get("cpu_model", "CPU not recorded"), t["cpu"],
                                                   " / ".join(t["loadavg"])), "",
                  "| measurement | time |", "|---|---|",
                  "| network alone, 1×2×512×512 (median of 40) | %.1f ms (min %.1f) |" % (
                      t["network_512"]["median_ms"], t["network_512"]["min_ms"]),
                  "| network alone, 1×2×%d×%d = a 512² slice of 0.98 mm at %g mm | %.1f ms (min %.1f) |" % (
                      t["network_grid"]["size"], t["network_grid"]["size"], t["network_grid"]["spacing_mm"],
                      t["network_grid"]["median_ms"], t["network_grid"]["min_ms"]),
                  "| AnalyzeSeries, one 512² slice (0.98 mm), network / whole call | %.1f / %.1f ms |" % (
                      t["pipeline_one_512_slice"]["inference_ms"], t["pipeline_one_512_slice"]["total_ms"]),
                  "| AnalyzeSeries, ct-kits (%d slices 512², 0.70 mm), per slice network / whole | %.1f / %.1f ms |" % (
                      t["pipeline_ct_kits"]["slices"], t["pipeline_ct_kits"]["inference_ms_per_slice"],
                      t["pipeline_ct_kits"]["total_ms_per_slice"])]
    for fn in sorted(os.listdir(OUT)):
        if fn.startswith("unseen_"):
            urows = json.load(open(os.path.join(OUT, fn)))
            sl, sz = fn[7:-5].split("_")
            lines += ["", "**Unseen phantom seeds** (`myeloview sample` writer, %s slices × %s², analysed by the Go "
                      "pipeline with this bundle):" % (sl, sz), "",
                      "| seed | lesions matched | ≥ 5 mm matched | false positives |", "|---|---|---|---|"]
            for r in urows:
                lines.append("| %d | %d / %d | %d / %d | %d |" % (r["seed"], r["matched"], r["lesions"],
                                                               r["matched_5mm"], r["lesions_5mm"], r["false_positives"]))
            tot = lambda k: sum(r[k] for r in urows)
            lines.append("| all | %d / %d | %d / %d | %d (%.2f per scan) |" % (
                tot("matched"), tot("lesions"), tot("matched_5mm"), tot("lesions_5mm"), tot("false_positives"),
                tot("false_positives") / max(len(urows), 1)))
    return "\n".join(lines)


def main():
    t = table()
    print(t)
    card = os.path.join(config.BUNDLE, "MODEL_CARD.md")
    if os.path.exists(card):
        s = open(card).read()
        if BEGIN in s and END in s:
            s = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: BEGIN + "\n" + t + "\n\n" + END, s,
                       flags=re.S)
            open(card, "w").write(s)
            print("updated", card)


if __name__ == "__main__":
    main()
