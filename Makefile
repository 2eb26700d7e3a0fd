# MyeloView: `make run` sets up, builds and opens the viewer on the bundled
# sample study; `make test` sets up and runs every test. Both install what is
# missing (Debian 12, as root or with sudo) and are fast when nothing is.
#
# The first build compiles Fyne's cgo (OpenGL/GLFW) code: about 5 minutes on
# 2 cores. Later builds reuse Go's build cache and take seconds.

export PATH := /usr/local/go/bin:$(PATH)
GO ?= go
BIN := bin/myeloview
ARGS ?=

.PHONY: run build setup test test-go e2e fuzz bench train evaluate screenshots clean

run: build
	./$(BIN) $(ARGS)

build: setup
	$(GO) build -o $(BIN) .

setup:
	./scripts/setup.sh run

test:
	./scripts/setup.sh test
	$(GO) vet ./...
	$(GO) test -timeout 30m ./...
	./scripts/e2e.sh

# Short fuzzing of every parser (go test -fuzz needs one target per run).
fuzz:
	./scripts/fuzz.sh 30s

bench:
	./bench/run.sh

train:
	./scripts/setup.sh train
	$(MAKE) -C training train

evaluate:
	./scripts/setup.sh train
	$(MAKE) -C training evaluate

screenshots: build
	./scripts/screenshots.sh

clean:
	rm -rf bin
