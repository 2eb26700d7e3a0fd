"""Write a fixed input and PyTorch's output for it to training/reference/,
for a Go test that runs the same input through ONNX Runtime (the bundled
model.onnx) and compares (|difference| ≤ 1e-4).

input.npy: float32 [2, 2, 64, 64]: item 0 is a 64×64 crop of a validation
phantom slice (through a lesion) after the manifest's windows; item 1 is
uniform noise in [0, 1). output.npy: float32 [2, 1, 64, 64], the lesion
probabilities of the training checkpoints (PyTorch, batch norm unfused;
the mean over config.MEMBERS).

    python3 -m mv.export_reference [--members final,final~]

(--members or --state: mv.bundle.parse_members' spec, default config.MEMBERS.)
"""
import argparse
import json
import os
import pickle

import numpy as np
import torch

from . import config
from .bundle import load_network, sha256
from .grid import channels, input_channels

REF = os.path.join(config.HERE, "reference")


def fixed_input(data=os.path.join(config.CACHE, "data")):
    """A windowed 64² crop of a validation phantom slice with a lesion
    (with its neighbouring slices when data was built with slice context),
    and uniform noise of the same shape."""
    val = pickle.load(open(os.path.join(data, "samples_val.pkl"), "rb"))
    s = next(s for s in val if s["group"] == "phantom" and s["label"].any())
    rr, cc = np.nonzero(s["label"])
    r0 = int(np.clip(rr.mean() - 32, 0, s["hu"].shape[-2] - 64))
    c0 = int(np.clip(cc.mean() - 32, 0, s["hu"].shape[-1] - 64))
    crop = s["hu"][..., r0:r0 + 64, c0:c0 + 64].astype(np.float32)
    x = input_channels(crop) if crop.ndim == 3 else channels(crop)
    rng = np.random.default_rng(config.SEED)
    noise = rng.random(x.shape, dtype=np.float32)
    return np.stack([x, noise]).astype(np.float32), s["name"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", "--state", dest="members", default=config.MEMBERS,
                    help="member spec (mv.bundle.parse_members)")
    ap.add_argument("--data", default=os.path.join(config.CACHE, "data"),
                    help="data set of the validation sample (built with the network's slice context)")
    args = ap.parse_args()
    os.makedirs(REF, exist_ok=True)
    x, src = fixed_input(args.data)
    model = load_network(args.members)
    with torch.no_grad():
        y = model(torch.from_numpy(x)).numpy().astype(np.float32)
    np.save(os.path.join(REF, "input.npy"), x)
    np.save(os.path.join(REF, "output.npy"), y)
    meta = dict(input="input.npy float32 %s: [0] windowed crop of %s, [1] uniform noise" % (list(x.shape), src),
                output="output.npy float32 %s: PyTorch (checkpoints %s, sigmoid) lesion probability" % (list(y.shape), args.members),
                tolerance=1e-4, model_sha256=sha256(os.path.join(config.BUNDLE, "model.onnx")),
                input_name="image", output_name="lesion_prob", max_output=float(y.max()))
    json.dump(meta, open(os.path.join(REF, "reference.json"), "w"), indent=1)
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
