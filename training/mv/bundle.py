"""Export the trained network to ONNX and write the bundle (model.onnx,
model.json) that package inference loads.

The manifest follows inference.Manifest (inference/manifest.go; schema
myeloview-bundle/1): the Go side refuses unknown keys, so only its fields
appear here."""
import hashlib
import json
import os

import numpy as np
import torch

from . import config
from .model import Ensemble, SIZE_MULTIPLE, load_state

INPUT, OUTPUT = "image", "lesion_prob"
OPSET = 17


def load_model(state_path, with_sigmoid=True):
    return load_state(state_path, with_sigmoid).eval()


def parse_members(spec):
    """The members of a bundled network, from a comma-separated spec: each
    item a run name (runs/NAME/best.pt) or a checkpoint path, with a
    trailing "~" to run that network on the mirrored slice.
    "final,final~" → [(runs/final/best.pt, False), (runs/final/best.pt, True)]."""
    out = []
    for item in spec.split(","):
        item = item.strip()
        flip = item.endswith("~")
        item = item.rstrip("~")
        if not item:
            raise ValueError("empty member in %r" % spec)
        path = item if item.endswith(".pt") else os.path.join(config.RUNS, item, "best.pt")
        out.append((path, flip))
    return out


def single_checkpoint(spec):
    """The checkpoint path when spec names one unmirrored network (which
    exports exactly as before ensembles existed), else None."""
    members = parse_members(spec)
    return members[0][0] if len(members) == 1 and not members[0][1] else None


def load_network(spec=config.MEMBERS):
    """The network a spec names (parse_members), ending in a sigmoid: the
    checkpoint itself for one unmirrored member, else an Ensemble; or an
    exported .onnx file."""
    if spec.endswith(".onnx"):
        # a bundled graph (e.g. the shipped assets/model/model.onnx), run with
        # PyTorch operators: a baseline without its training checkpoint
        from .onnx_torch import OnnxModule
        return OnnxModule(spec).eval()
    single = single_checkpoint(spec)
    if single:
        return load_model(single)
    members = parse_members(spec)
    return Ensemble([load_model(p) for p, _ in members], [f for _, f in members]).eval()


def export_onnx(spec, onnx_path):
    import onnx
    model = load_network(spec)
    x = torch.zeros(1, (2 * model.slice_context + 1) * len(config.CHANNELS), 64, 64)
    os.makedirs(os.path.dirname(onnx_path), exist_ok=True)
    torch.onnx.export(model, x, onnx_path, input_names=[INPUT], output_names=[OUTPUT], opset_version=OPSET,
                      do_constant_folding=True,
                      dynamic_axes={INPUT: {0: "batch", 2: "height", 3: "width"},
                                    OUTPUT: {0: "batch", 2: "height", 3: "width"}})
    m = onnx.load(onnx_path)
    m.producer_name = "myeloview-training"
    m.doc_string = "MyeloView reference lytic-lesion segmentation network. " + config.INTENDED_USE
    del m.metadata_props[:]
    for k, v in [("name", config.MODEL_NAME), ("version", config.MODEL_VERSION),
                 ("intended_use", config.INTENDED_USE), ("license", "Apache-2.0"),
                 ("training", "training/ in the MyeloView repository (make train)")]:
        p = m.metadata_props.add()
        p.key, p.value = k, v
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, onnx_path)
    return onnx_path


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def describe_network(contexts):
    """The network's opening words in the manifest's description, from the
    slice context of each member (one entry: a single network)."""
    step = " (%g mm apart)" % config.SLICE_CONTEXT_STEP_MM if config.SLICE_CONTEXT_STEP_MM > 0 else ""
    if len(contexts) == 1:
        if not contexts[0]:
            return "2D U-Net that maps each axial CT slice,"
        return "2.5D U-Net that maps each axial CT slice, read with %d neighbouring slice(s) each side%s," % (
            contexts[0], step)
    words = {1: "one", 2: "two", 3: "three", 4: "four"}
    count = lambda n: words.get(n, str(n))
    kinds = []
    for k in sorted(set(contexts)):
        n = count(contexts.count(k))
        kinds.append("%s 2D" % n if not k else "%s 2.5D reading %d neighbouring slice(s) each side%s" % (n, k, step))
    return "Mean of %s U-Nets (%s), mapping each axial CT slice," % (count(len(contexts)), ", ".join(kinds))


def manifest(onnx_path, threshold, min_mm, context=0, member_contexts=None):
    """The manifest of an exported network that reads context neighbouring
    slices each side (channel order: most cranial slice first);
    member_contexts: each ensemble member's own context (None: one network)."""
    ch = {str(i): "%s window %g/%g HU" % (n, c, w) for i, (n, c, w) in enumerate(config.CHANNELS)}
    if context:
        ch = {str(j * len(config.CHANNELS) + i): "%s window %g/%g HU, %s" % (
                  n, c, w, "this slice" if j == context else "%s %s" % (
                      ("%g mm" % (abs(context - j) * config.SLICE_CONTEXT_STEP_MM)
                       if config.SLICE_CONTEXT_STEP_MM > 0 else "%d slice(s)" % abs(context - j)),
                      "cranial" if j < context else "caudal"))
              for j in range(2 * context + 1) for i, (n, c, w) in enumerate(config.CHANNELS)}
    net = describe_network(list(member_contexts) if member_contexts else [context])
    return {
        "schema": "myeloview-bundle/1",
        "name": config.MODEL_NAME,
        "version": config.MODEL_VERSION,
        "task": "segmentation",
        "description": ("%s resampled to %g mm pixels, to a lytic bone "
                        "lesion probability map. Trained on synthetic lytic lesions inserted into real CT "
                        "and into MyeloView phantoms; not validated on real myeloma. See MODEL_CARD.md.")
        % (net, config.TARGET_SPACING_MM),
        "intended_use": config.INTENDED_USE,
        "license": "Apache-2.0",
        "authors": ["MyeloView contributors"],
        "references": [
            "training/README.md and assets/model/MODEL_CARD.md (data, lesion insertion, metrics)",
            "MONAI Model Bundle specification (metadata field names)",
        ],
        "model_file": os.path.basename(onnx_path),
        "sha256": sha256(onnx_path),
        "network_data_format": {
            "inputs": {INPUT: {"type": "image", "format": "hounsfield", "modality": "CT",
                               "num_channels": len(ch), "spatial_shape": [-1, -1],
                               "dtype": "float32", "value_range": [0, 1], "channel_def": ch}},
            "outputs": {OUTPUT: {"type": "probabilities", "format": "segmentation", "num_channels": 1,
                                 "spatial_shape": [-1, -1], "dtype": "float32", "value_range": [0, 1],
                                 "channel_def": {"0": "lytic lesion"}}},
        },
        "preprocessing": {
            "channels": [{"name": n, "window": {"center": c, "width": w}} for n, c, w in config.CHANNELS],
            "slice_context": context,
            **({"slice_context_max_gap_mm": config.SLICE_CONTEXT_MAX_GAP_MM} if context else {}),
            **({"slice_context_step_mm": config.SLICE_CONTEXT_STEP_MM}
               if context and config.SLICE_CONTEXT_STEP_MM > 0 else {}),
            "target_spacing_mm": config.TARGET_SPACING_MM,
            "fixed_size": [0, 0],
            "size_multiple": SIZE_MULTIPLE,
        },
        "postprocessing": {"output_kind": "probability", "operating_threshold": float(threshold),
                           "min_lesion_mm": float(min_mm)},
        "limits": {"min_slice_thickness_mm": config.MIN_SLICE_THICKNESS_MM},
    }


def write_bundle(spec, folder, threshold, min_mm):
    """Export the network of a member spec (parse_members) with its
    operating point into folder."""
    onnx_path = export_onnx(spec, os.path.join(folder, "model.onnx"))
    net = load_network(spec)
    m = manifest(onnx_path, threshold, min_mm, net.slice_context,
                 [n.slice_context for n in net.members] if hasattr(net, "members") else None)
    with open(os.path.join(folder, "model.json"), "w") as f:
        json.dump(m, f, indent=2)
        f.write("\n")
    return m
