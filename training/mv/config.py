"""Every fixed choice of the pipeline in one place: windows, spacing, splits,
seeds. Changing anything here changes the shipped model."""
import os

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # training/
REPO = os.path.dirname(HERE)
SHARED = os.environ.get("MYELOVIEW_SHARED_DATA", os.path.join(REPO, "..", "shared", "data"))
CACHE = os.path.join(HERE, "cache")
RUNS = os.path.join(HERE, "runs")
BUNDLE = os.path.join(REPO, "assets", "model")
ORT_LIB = os.path.join(REPO, "third_party", "onnxruntime", "1.24.1", "libonnxruntime.so.1")
MVTRAIN = os.path.join(CACHE, "bin", "mvtrain")

# The bundled network (mv.bundle.parse_members): the mean lesion probability
# of these members, each a run under runs/ (its best.pt) or "RUN~", the same
# network run on the left-right mirrored slice. One checkpoint, 1.1: the
# ensemble tried (1.1 with its flip) failed the quiet check on held-out real
# CT (README.md, "Ensembles and test-time flips").
MEMBERS = "final"
# How `make model` (mv.train_members) trains each run MEMBERS names: its
# mv.train arguments beyond --out (e.g. seed, slice_context, patience).
RECIPES = {"final": {}}

MODEL_NAME = "myeloview-lytic-unet2d"
MODEL_VERSION = "1.2.0"
INTENDED_USE = "Research use only: not for diagnosis"

# Network input: Hounsfield windows (center, width), applied by the Go
# pipeline as clip((hu - (c - w/2)) / w, 0, 1) (inference/manifest.go).
CHANNELS = [("bone", 400.0, 1800.0), ("soft_tissue", 40.0, 400.0)]
# In-plane resampling done by the app (target_spacing_mm). MV_TARGET_SPACING_MM
# overrides it for an experiment (data, training, comparison and bundle then
# all use that grid; README.md, "Version 1.2: a 1.0 mm network grid").
TARGET_SPACING_MM = float(os.environ.get("MV_TARGET_SPACING_MM", "1.0"))
# Neighbouring slices each side given to the network (the manifest's
# slice_context; 0: one slice, 2D). MV_SLICE_CONTEXT overrides it for an
# experiment (README.md, "Through-plane context").
SLICE_CONTEXT = int(os.environ.get("MV_SLICE_CONTEXT", "0"))
IN_CHANNELS = (2 * SLICE_CONTEXT + 1) * len(CHANNELS)
# Slice context does not read across a gap wider than this between
# adjacent slices (slice_context_max_gap_mm): the widest spacing in
# training is the phantoms' 5 mm; the sparse ct-kits test series (gaps of
# 7.5 mm and more) is then read as runs of single slices.
SLICE_CONTEXT_MAX_GAP_MM = 6.0
# Neighbours spaced by distance (slice_context_step_mm): neighbour j is the
# slice of the same run nearest to j·step mm away; 0 reads adjacent slices.
# MV_SLICE_CONTEXT_STEP_MM overrides it for an experiment.
SLICE_CONTEXT_STEP_MM = float(os.environ.get("MV_SLICE_CONTEXT_STEP_MM", "0"))
# The manifest's limits.min_slice_thickness_mm: the app warns on thinner
# slices. Measured for 1.2 with mv.thin_check --slices (README.md, "Thin
# slices"; the ten validation phantoms): 2.8 false positives per phantom in
# the spinal canal at 1 mm, 0.3 at 1.5 mm, none at 2 mm; re-measure it when
# the network changes.
MIN_SLICE_THICKNESS_MM = 2.0
SIZE_MULTIPLE = 8           # three poolings below the stride-2 stem's grid … see model.py
PADDING_HU = -1000.0        # inference.PaddingHU (air)

# Lesion-level matching (evaluation, threshold choice and the Go regression):
# a finding matches a lesion when the distance between the finding's centre
# and the lesion centre, in mm, is at most max(MATCH_MIN_MM, diameter / 2).
MATCH_MIN_MM = 5.0

SEED = 20240611

# Phantom seeds (series-level split).
PHANTOM_TRAIN = range(1000, 1200)
PHANTOM_VAL = range(1200, 1240)
PHANTOM_TEST = range(1240, 1280)
# (slices, size) per phantom, cycled by seed: every phantom size maps to a
# 320² network grid (480 mm field of view at 1.5 mm).
PHANTOM_SHAPES_TRAIN = [(120, 256), (80, 192), (160, 384), (120, 320), (240, 512), (100, 256)]
PHANTOM_SHAPES_EVAL = [(120, 256), (120, 256), (160, 384), (200, 512)]
