"""Inference speed of the bundled model through ONNX Runtime (Go), two
intra-op threads on this machine:

* the bare network on one 1×2×512×512 input and on the input a 512² slice
  of 0.98 mm pixels becomes on the network grid (336² at 1.5 mm, 504² at
  1.0 mm), Session.Run medians;
* the whole per-slice pipeline (decode, preprocess, network,
  postprocess) via AnalyzeSeries on a one-slice 512² CT series (first
  slice of ct-totalseg-native) and on the 10-slice ct-kits series.

    python3 -m mv.bench   → runs/eval/timing.json
"""
import glob
import json
import os
import re
import shutil
import subprocess

from . import app, config, phantoms
from .grid import Grid


def main():
    env = phantoms.tool_env()
    onnx_path = os.path.join(config.BUNDLE, "model.onnx")
    out = {}
    # the padded network input of a 512² slice of 0.98 mm pixels, as the app
    # makes it for the bundle being measured (its manifest's grid, not config's)
    spacing = json.load(open(os.path.join(config.BUNDLE, "model.json")))["preprocessing"]["target_spacing_mm"]
    grid = Grid(512, 512, (0.98, 0.98), target=spacing).pad_rows
    for key, size in (("network_512", 512), ("network_grid", grid)):
        r = subprocess.run([phantoms.build_tool(), "bench", "-onnx", onnx_path, "-size", str(size), "-runs", "40"],
                           env=env, check=True, capture_output=True, text=True).stdout
        m = re.search(r"median ([\d.]+) ms, min ([\d.]+) ms", r)
        out[key] = dict(median_ms=float(m.group(1)), min_ms=float(m.group(2)), size=size, spacing_mm=spacing)
        print(r.strip())
    one = os.path.join(config.CACHE, "bench_one_slice")
    shutil.rmtree(one, ignore_errors=True)
    os.makedirs(one)
    src = sorted(glob.glob(os.path.join(config.SHARED, "ct-totalseg-native", "*.dcm")))[0]
    shutil.copy(src, os.path.join(one, "slice.dcm"))
    kits = os.path.join(config.SHARED, "ct-kits")
    runs = []
    for _ in range(5):
        runs.append(app.analyze(config.BUNDLE, [one])[0])
    out["pipeline_one_512_slice"] = dict(inference_ms=sorted(r["inference_ms"] for r in runs)[2],
                                         total_ms=sorted(r["total_ms"] for r in runs)[2])
    r = app.analyze(config.BUNDLE, [kits])[0]
    out["pipeline_ct_kits"] = dict(slices=r["slices"], inference_ms_per_slice=r["inference_ms"] / r["slices"],
                                   total_ms_per_slice=r["total_ms"] / r["slices"])
    cpuinfo = open("/proc/cpuinfo").read()
    out["cpu"] = cpuinfo.count("processor\t:")
    models = [l.split(":", 1)[1].strip() for l in cpuinfo.splitlines() if l.startswith("model name")]
    out["cpu_model"] = models[0] if models else "unknown CPU"
    out["loadavg"] = open("/proc/loadavg").read().split()[:3]
    os.makedirs(os.path.join(config.RUNS, "eval"), exist_ok=True)
    json.dump(out, open(os.path.join(config.RUNS, "eval", "timing.json"), "w"), indent=1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
