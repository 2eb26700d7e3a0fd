#!/bin/sh
# Benchmarks of the analysis pipeline (package inference) against bare
# ONNX Runtime runs of the same input tensors on the same session, twice:
# with the band test network (six input channels, 2.5D context; a cheap
# network, so the pipeline's own costs show) and with the bundled model
# (assets/model, the network users run).
#
#   bench/inference.sh               per-slice figures (16-slice 512² phantom)
#   SERIES500=1 bench/inference.sh   also the whole 500-slice 512² series
#                                    (writes a 256 MB phantom to $TMPDIR)
#
# The overhead ratio is pipeline wall time / sum of bare Session.Run times;
# run on an idle machine, since other load inflates it.
set -eu
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
for model in test "$PWD/assets/model"; do
	if [ "$model" = test ]; then
		echo "-- band test network"
		unset MYELOVIEW_BENCH_MODEL
	else
		echo "-- bundled model ($model)"
		export MYELOVIEW_BENCH_MODEL="$model"
	fi
	go test -run '^$' -bench 'SessionRunSlice512|AnalyzeSlice512' -benchtime "${BENCHTIME:-5x}" -v ./inference/ |
		grep -E '^(Benchmark|ok|FAIL)|bench_test'
	if [ "${SERIES500:-0}" = 1 ]; then
		MYELOVIEW_BENCH_SERIES500=1 go test -run '^$' -bench 'Series500' -benchtime 1x -timeout 60m -v ./inference/ |
			grep -E '^(Benchmark|ok|FAIL)|bench_test'
	fi
done
