"""Train every run that config.MEMBERS names (`make model`), one after
another, each with its config.RECIPES arguments to mv.train and every one
on the data set `make data` builds (a run with less slice context than the
data set reads its middle planes: mv.train --slice-context). A run spec
that appears twice (a network and its mirror, "final,final~") is trained
once.

    python3 -m mv.train_members [--dry-run]
"""
import argparse
import os
import subprocess
import sys

from . import config
from .bundle import parse_members


def run_names(spec=config.MEMBERS):
    """The runs (folders under runs/) of a member spec, in order, once each."""
    names = []
    for path, _ in parse_members(spec):
        if os.path.dirname(os.path.dirname(path)) != config.RUNS or os.path.basename(path) != "best.pt":
            raise ValueError("member %s is not a run under %s; make model trains runs only" % (path, config.RUNS))
        name = os.path.basename(os.path.dirname(path))
        if name not in names:
            names.append(name)
    return names


def train_args(name, recipes=config.RECIPES):
    """mv.train's arguments for run name (config.RECIPES; every run must have one)."""
    if name not in recipes:
        raise KeyError("run %s has no entry in config.RECIPES" % name)
    args = ["--out", os.path.join(config.RUNS, name)]
    for k, v in sorted(recipes[name].items()):
        args += ["--" + k.replace("_", "-"), str(v)]
    return args


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dry-run", action="store_true", help="print the mv.train commands only")
    a = ap.parse_args()
    for name in run_names():
        cmd = [sys.executable, "-m", "mv.train"] + train_args(name)
        print(" ".join(cmd), flush=True)
        if not a.dry_run:
            subprocess.run(cmd, check=True, cwd=config.HERE)


if __name__ == "__main__":
    main()
