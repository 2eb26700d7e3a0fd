"""Validate the bundle in assets/model in Python: manifest fields and
checksum, ONNX checker, opset, interface (names, rank, channels, dynamic
dims), metadata, size, output shape, and the ONNX graph's output against
the PyTorch reference (training/reference) and, when present, the
training checkpoints of config.MEMBERS. Exit status 1 on any failure.

    python3 -m mv.check_bundle
"""
import json
import os
import sys

import numpy as np
import onnx
import torch

from . import config
from .bundle import INPUT, OUTPUT, load_network, parse_members, sha256
from .onnx_torch import OnnxModule, op_types
from .export_reference import REF

MAX_BYTES = 10 * 1024 * 1024


def main():
    errors = []

    def check(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            errors.append(what)

    mj = os.path.join(config.BUNDLE, "model.json")
    m = json.load(open(mj))
    onnx_path = os.path.join(config.BUNDLE, m.get("model_file") or "model.onnx")
    check(m["schema"] == "myeloview-bundle/1", "schema myeloview-bundle/1")
    check(m["task"] == "segmentation", "task segmentation")
    check(m["sha256"].lower() == sha256(onnx_path), "sha256 of %s matches model.json" % os.path.basename(onnx_path))
    size = os.path.getsize(onnx_path)
    check(size <= MAX_BYTES, "model.onnx is %d bytes (≤ 10 MB)" % size)
    pp = m["postprocessing"]
    check(0 < pp["operating_threshold"] < 1, "operating_threshold %.4f in (0,1)" % pp["operating_threshold"])
    check(pp["output_kind"] == "probability", "output_kind probability")
    check(pp["min_lesion_mm"] >= 0, "min_lesion_mm ≥ 0")
    pre = m["preprocessing"]
    nch = (2 * pre["slice_context"] + 1) * len(pre["channels"])
    check(m["network_data_format"]["inputs"][INPUT]["num_channels"] == nch, "num_channels = (2k+1)×channels = %d" % nch)
    check([(c["name"], c["window"]["center"], c["window"]["width"]) for c in pre["channels"]] ==
          [tuple(c) for c in config.CHANNELS], "preprocessing windows match training (config.CHANNELS)")
    check(pre["target_spacing_mm"] == config.TARGET_SPACING_MM and pre["size_multiple"] == config.SIZE_MULTIPLE,
          "target_spacing_mm %.2f and size_multiple %d match training" % (pre["target_spacing_mm"], pre["size_multiple"]))
    check(m["intended_use"] == config.INTENDED_USE, "intended_use says research only")
    check(m.get("limits", {}).get("min_slice_thickness_mm") == config.MIN_SLICE_THICKNESS_MM,
          "limits.min_slice_thickness_mm matches config (%g mm)" % config.MIN_SLICE_THICKNESS_MM)

    model = onnx.load(onnx_path)
    try:
        onnx.checker.check_model(model, full_check=True)
        check(True, "onnx.checker (full_check)")
    except Exception as e:  # noqa: BLE001
        check(False, "onnx.checker: %s" % e)
    opset = max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    check(13 <= opset <= 17, "opset %d in 13–17" % opset)
    ins = [i for i in model.graph.input if i.name not in {t.name for t in model.graph.initializer}]
    outs = list(model.graph.output)
    check([i.name for i in ins] == [INPUT] and list(m["network_data_format"]["inputs"]) == [INPUT],
          "single input %r in ONNX and manifest" % INPUT)
    check([o.name for o in outs] == [OUTPUT] and list(m["network_data_format"]["outputs"]) == [OUTPUT],
          "single output %r in ONNX and manifest" % OUTPUT)
    for v, ch in ((ins[0], nch), (outs[0], 1)):
        dims = v.type.tensor_type.shape.dim
        check(v.type.tensor_type.elem_type == onnx.TensorProto.FLOAT, "%s is float32" % v.name)
        check(len(dims) == 4, "%s has rank 4" % v.name)
        check(dims[1].dim_value == ch, "%s has %d channels" % (v.name, ch))
        check(all(d.dim_param and not d.dim_value for d in (dims[0], dims[2], dims[3])),
              "%s has dynamic N, H, W" % v.name)
    props = {p.key: p.value for p in model.metadata_props}
    check(props.get("name") == m["name"] and props.get("version") == m["version"],
          "metadata_props name/version match the manifest")
    check(props.get("intended_use") == config.INTENDED_USE, "metadata_props intended_use")
    print("operators:", ", ".join(op_types(onnx_path)))

    net = OnnxModule(onnx_path).eval()
    x = np.load(os.path.join(REF, "input.npy"))
    y_ref = np.load(os.path.join(REF, "output.npy"))
    with torch.no_grad():
        y = net(torch.from_numpy(x)).numpy()
        check(y.shape == (x.shape[0], 1) + x.shape[2:], "output shape %s = input spatial shape" % (y.shape,))
        d = float(np.abs(y - y_ref).max())
        check(d <= 1e-4, "ONNX graph vs PyTorch reference output: max |diff| %.2e ≤ 1e-4" % d)
        odd = net(torch.rand(1, nch, 40, 72)).shape
        check(tuple(odd) == (1, 1, 40, 72), "non-square input 40×72 → output %s" % (tuple(odd),))
    ref = json.load(open(os.path.join(REF, "reference.json")))
    check(ref["model_sha256"] == m["sha256"].lower(), "training/reference was made for this model.onnx")
    members = parse_members(config.MEMBERS)
    if all(os.path.exists(p) for p, _ in members):
        pt = load_network(config.MEMBERS)
        xr = torch.rand(2, nch, 96, 128, generator=torch.Generator().manual_seed(1))
        with torch.no_grad():
            d = float((pt(xr) - net(xr)).abs().max())
        check(d <= 1e-4, "checkpoints %s vs ONNX on random input: max |diff| %.2e" % (config.MEMBERS, d))
    print("%d failure(s)" % len(errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
