"""Run an ONNX graph with PyTorch operators (Python has no ONNX Runtime
here). Supports exactly the operators the exported network uses; anything
else is an error. This lets evaluate.py score the shipped model.onnx
itself (with batch norm folded, as exported) rather than the training
checkpoint, and check_bundle.py compare the two."""
import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


class OnnxModule(torch.nn.Module):
    def __init__(self, path):
        super().__init__()
        self.model = onnx.load(path)
        g = self.model.graph
        self.init = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in g.initializer}
        self.inputs = [i.name for i in g.input if i.name not in self.init]
        self.outputs = [o.name for o in g.output]

    def forward(self, x):
        env = dict(self.init)
        env[self.inputs[0]] = x
        for n in self.model.graph.node:
            a = _attrs(n)
            i = [env[name] if name else None for name in n.input]
            op = n.op_type
            if op == "Conv":
                pads = a.get("pads", [0, 0, 0, 0])
                assert pads[0] == pads[2] and pads[1] == pads[3], pads
                y = F.conv2d(i[0], i[1], i[2] if len(i) > 2 else None, stride=a.get("strides", [1, 1]),
                             padding=pads[:2], dilation=a.get("dilations", [1, 1]), groups=a.get("group", 1))
            elif op == "Relu":
                y = F.relu(i[0])
            elif op == "MaxPool":
                assert not any(a.get("pads", [0])), a
                y = F.max_pool2d(i[0], a["kernel_shape"], a.get("strides", a["kernel_shape"]))
            elif op == "Concat":
                y = torch.cat(i, dim=a["axis"])
            elif op == "DepthToSpace":
                assert a.get("mode", b"DCR") in (b"CRD", "CRD"), a  # PixelShuffle exports CRD
                y = F.pixel_shuffle(i[0], a["blocksize"])
            elif op == "Sigmoid":
                y = torch.sigmoid(i[0])
            elif op == "BatchNormalization":
                y = F.batch_norm(i[0], i[3], i[4], i[1], i[2], False, 0.0, a.get("epsilon", 1e-5))
            elif op == "Identity":
                y = i[0]
            elif op == "Constant":
                y = torch.from_numpy(numpy_helper.to_array(a["value"]).copy())
            elif op == "Slice":  # Ensemble's mirrored members: steps ±1
                y = _slice(*i)
            elif op == "Add":
                y = i[0] + i[1]
            elif op == "Mul":
                y = i[0] * i[1]
            elif op == "Div":
                y = i[0] / i[1]
            else:
                raise NotImplementedError("ONNX operator %s" % op)
            env[n.output[0]] = y
        return env[self.outputs[0]]


def _slice(x, starts, ends, axes=None, steps=None):
    """ONNX Slice for steps of +1 and −1 (torch has no negative-step slicing:
    a −1 step is a flip of the forward range). Starts and ends are clamped
    as ONNX specifies."""
    n = len(starts)
    axes = axes.tolist() if axes is not None else list(range(n))
    steps = steps.tolist() if steps is not None else [1] * n
    for st, en, ax, sp in zip(starts.tolist(), ends.tolist(), axes, steps):
        dim = x.shape[ax]
        if sp == 1:
            st = min(max(st + dim if st < 0 else st, 0), dim)
            en = min(max(en + dim if en < 0 else en, 0), dim)
            x = x.narrow(ax, st, max(en - st, 0))
        elif sp == -1:
            st = min(max(st + dim if st < 0 else st, -1), dim - 1)
            en = min(max(en + dim if en < 0 else en, -1), dim - 1)
            x = x.narrow(ax, en + 1, max(st - en, 0)).flip(ax)
        else:
            raise NotImplementedError("ONNX Slice step %d" % sp)
    return x


def op_types(path):
    return sorted({n.op_type for n in onnx.load(path).graph.node})
