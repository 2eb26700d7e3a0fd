"""MyeloView reference-model training pipeline (see training/README.md)."""
import os

# oneDNN, which runs PyTorch's CPU convolutions, picks its kernels by the
# CPU's instruction set, and its AVX-512 kernels round differently from its
# AVX2 ones: unpinned, the same seeds trained a different network on an
# Intel Xeon with AVX-512 than on the AMD EPYC that trained 1.2. Pinned to
# AVX2 (which every machine that trains here has) before torch loads,
# the pipeline's PyTorch computations (training, the Python replica) run
# the same kernels on both, and `make train`
# gives 1.2's weights on both (README.md, "Reproducing across CPUs"). An
# explicit DNNL_MAX_CPU_ISA in the environment still wins.
os.environ.setdefault("DNNL_MAX_CPU_ISA", "AVX2")
