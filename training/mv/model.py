"""The lesion segmentation network: a small 2D U-Net.

Input: N×2×H×W float32 (bone window, soft-tissue window; see config),
H and W multiples of SIZE_MULTIPLE. Output: N×1×H×W lesion probability at
the input resolution (the exported model ends in a sigmoid, so the
manifest's output_kind is "probability"; training uses the logits).

Speed on two CPU cores drives the layout. Convolutions with few channels at
full resolution are memory-bound and dominate a plain U-Net's run time, so:

* the stem is a stride-2 3×3 convolution: the first feature maps are at
  half resolution (the convolution still reads every input pixel);
* three resolution levels below the input (/2, /4, /8) with 16, 32 and 64
  channels and two 3×3 convolutions each on the way down, one on the way up;
* upsampling is a 1×1 convolution followed by a pixel shuffle (ONNX
  DepthToSpace), equivalent to a 2×2 stride-2 transposed convolution but
  fast to train with PyTorch's CPU kernels, and the last one produces the
  full-resolution output directly;
* batch norm, which ONNX export folds into the convolutions.

Receptive field: about 75 pixels (75 mm on the 1.0 mm grid of version 1.2,
110 mm on 1.1's 1.5 mm grid), enough to see a vertebral body with its
canal around a lesion. The finer grid costs 2.25 times the pixels but lets
the stem's 2 mm features resolve 5–10 mm lesions in textured marrow, which
1.1 (3 mm features) missed even on its training images.
"""
import torch
import torch.nn as nn

from . import config

SIZE_MULTIPLE = 8  # stem stride 2 × two 2×2 poolings
WIDTHS = (16, 32, 64)


def conv_bn_relu(cin, cout, stride=1):
    return [nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class Up(nn.Module):
    """×2 upsampling: 1×1 convolution to 4·cout channels, pixel shuffle."""

    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, 4 * cout, 1)
        self.shuffle = nn.PixelShuffle(2)

    def forward(self, x):
        return self.shuffle(self.conv(x))


class LesionNet(nn.Module):
    """full_width > 0 adds a full-resolution stage (full_width channels, two
    3×3 convolutions before the stride-2 stem, one after the last
    upsampling, with a skip between them), so that features at the grid's
    own 1 mm reach the output; 0 (1.2 as shipped) upsamples the /2
    features straight to the output. Cost at width 8: 62.5 against 36.6 ms
    per 512² slice (PyTorch, two threads); tried and not adopted
    (README.md, "A full-resolution stage")."""

    def __init__(self, in_ch=config.IN_CHANNELS, widths=WIDTHS, with_sigmoid=False, full_width=0):
        super().__init__()
        # neighbouring slices each side that in_ch holds (slice_context)
        self.slice_context = (in_ch // len(config.CHANNELS) - 1) // 2
        w1, w2, w3 = widths
        self.full_width = w0 = full_width
        if w0:
            self.full = nn.Sequential(*conv_bn_relu(in_ch, w0), *conv_bn_relu(w0, w0))
            in_ch = w0
        self.stem = nn.Sequential(*conv_bn_relu(in_ch, w1, 2), *conv_bn_relu(w1, w1))
        self.enc2 = nn.Sequential(*conv_bn_relu(w1, w2), *conv_bn_relu(w2, w2))
        self.enc3 = nn.Sequential(*conv_bn_relu(w2, w3), *conv_bn_relu(w3, w3))
        self.pool = nn.MaxPool2d(2)
        self.up2 = Up(w3, w2)
        self.dec2 = nn.Sequential(*conv_bn_relu(2 * w2, w2))
        self.up1 = Up(w2, w1)
        self.dec1 = nn.Sequential(*conv_bn_relu(2 * w1, w1))
        if w0:
            self.up0 = Up(w1, w0)
            self.dec0 = nn.Sequential(*conv_bn_relu(2 * w0, w0))
            self.head = nn.Conv2d(w0, 1, 1)
        else:
            self.head = Up(w1, 1)
        self.with_sigmoid = with_sigmoid

    def forward(self, x):
        if self.full_width:
            e0 = x = self.full(x)
        e1 = self.stem(x)
        e2 = self.enc2(self.pool(e1))
        e3 = self.enc3(self.pool(e2))
        d2 = self.dec2(torch.cat([self.up2(e3), e2], 1))
        d1 = self.dec1(torch.cat([self.up1(d2), e1], 1))
        if self.full_width:
            d1 = self.dec0(torch.cat([self.up0(d1), e0], 1))
        y = self.head(d1)
        return torch.sigmoid(y) if self.with_sigmoid else y


def widths_of(state):
    """The (w1, w2, w3) a LesionNet state dict was trained with (its
    convolution shapes), so that a checkpoint of any width loads without a
    side file."""
    return tuple(int(state[k].shape[0]) for k in ("stem.0.weight", "enc2.0.weight", "enc3.0.weight"))


def full_width_of(state):
    """The full-resolution stage's width of a state dict (0: none)."""
    return int(state["full.0.weight"].shape[0]) if "full.0.weight" in state else 0


def load_state(path, with_sigmoid=False):
    """A LesionNet of the checkpoint's own widths, loaded from path."""
    state = torch.load(path, map_location="cpu")
    w0 = full_width_of(state)
    in_ch = int(state[("full" if w0 else "stem") + ".0.weight"].shape[1])
    m = LesionNet(in_ch=in_ch, widths=widths_of(state), with_sigmoid=with_sigmoid, full_width=w0)
    m.load_state_dict(state)
    return m


def count_params(m):
    return sum(p.numel() for p in m.parameters())


class Ensemble(nn.Module):
    """The mean of several networks' lesion probabilities, each member run
    on the slice as it is or mirrored left–right (and its output mirrored
    back), exported as one ONNX graph so that the app needs no change.

    Why: on the validation BLDS patches, the members' false positives on
    real marrow and soft tissue differ from one network (or one view) to
    the next while the inserted lesions are found by all of them, so the
    mean keeps the lesions and drops many false positives (training/README.md,
    "Ensembles and test-time flips"). Cost: one network pass per member."""

    def __init__(self, members, flips):
        super().__init__()
        assert len(members) == len(flips) >= 1
        self.members = nn.ModuleList(members)
        self.flips = tuple(bool(f) for f in flips)
        # the ensemble reads the widest context; a member with less reads
        # the middle of it (channels are slice-major, the slice itself in
        # the middle), so a 2D network can sit beside a 2.5D one
        self.slice_context = max(m.slice_context for m in members)
        C = len(config.CHANNELS)
        self.in_channels = (2 * self.slice_context + 1) * C
        self.spans = [((self.slice_context - m.slice_context) * C, (self.slice_context + m.slice_context + 1) * C)
                      for m in members]

    def forward(self, x):
        total = None
        for net, flip, (c0, c1) in zip(self.members, self.flips, self.spans):
            xi = x if (c0, c1) == (0, self.in_channels) else x[:, c0:c1]
            y = net(xi.flip(-1)).flip(-1) if flip else net(xi)
            total = y if total is None else total + y
        return total / len(self.members)
