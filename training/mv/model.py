"""The lesion segmentation network: a small 2D U-Net.

Input: N×C×H×W float32, C = 2 (bone window, soft-tissue window), H and W
multiples of SIZE_MULTIPLE. Output: N×1×H×W lesion probability (a sigmoid
ends the network, so the manifest's output_kind is "probability").

Design for speed on two CPU cores: three 2×2 poolings (four resolution
levels), few channels at full resolution where most pixels are, batch norm
(folded into the convolutions by ONNX Runtime's graph optimiser) and
transposed 2×2 convolutions for upsampling, which export to plain ONNX
ConvTranspose without Resize-mode ambiguity.
"""
import torch
import torch.nn as nn

SIZE_MULTIPLE = 8  # 2 ** number of poolings


def block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
    )


class UNet(nn.Module):
    def __init__(self, in_ch=2, widths=(8, 16, 32, 64), with_sigmoid=True):
        super().__init__()
        w1, w2, w3, w4 = widths
        self.enc1 = block(in_ch, w1)
        self.enc2 = block(w1, w2)
        self.enc3 = block(w2, w3)
        self.bott = block(w3, w4)
        self.pool = nn.MaxPool2d(2)
        self.up3 = nn.ConvTranspose2d(w4, w3, 2, stride=2)
        self.dec3 = block(2 * w3, w3)
        self.up2 = nn.ConvTranspose2d(w3, w2, 2, stride=2)
        self.dec2 = block(2 * w2, w2)
        self.up1 = nn.ConvTranspose2d(w2, w1, 2, stride=2)
        self.dec1 = block(2 * w1, w1)
        self.head = nn.Conv2d(w1, 1, 1)
        self.with_sigmoid = with_sigmoid

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        e3 = self.enc3(self.pool(e2))
        b = self.bott(self.pool(e3))
        d3 = self.dec3(torch.cat([self.up3(b), e3], 1))
        d2 = self.dec2(torch.cat([self.up2(d3), e2], 1))
        d1 = self.dec1(torch.cat([self.up1(d2), e1], 1))
        y = self.head(d1)
        return torch.sigmoid(y) if self.with_sigmoid else y


def count_params(m):
    return sum(p.numel() for p in m.parameters())
