# Build and test entry points for the dipole-portal book (Jupyter Book 1.x).
#   make book   set up .venv and render the book into _build/html/index.html
#   make test   set up .venv and run unit tests, nbval (executes every notebook), a -W
#               book build of the stored outputs and a headless-Chromium check of the
#               rendered pages
# See README.md.

SHELL := /bin/bash
.DEFAULT_GOAL := book

VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.stamp
# Must be CPython 3.11; override with `make PYTHON=/path/to/python3.11`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
# pip itself is pinned too, so that a fresh venv resolves requirements.txt the same way.
PIP_VERSION := 26.3
# Read by every kernel the venv's Python starts (see the file).
KERNEL_CONFIG := $(VENV)/etc/ipython/ipython_kernel_config.py

# Make the venv's kernelspec (python3 -> .venv/bin/python) win over any
# user-level kernelspec of the same name, silence jupyter_core's
# platformdirs migration DeprecationWarning and debugpy's frozen-modules note.
export JUPYTER_PATH := $(CURDIR)/$(VENV)/share/jupyter
export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

# Notebook execution during `make book`: auto (default: the stored outputs when everything they depend on,
# helpers/, notebooks/, data/ and the pins, is as committed, since `make test` proves those outputs are what the
# code produces; otherwise parallel), parallel (every notebook executed afresh, side by side on all cores, by
# tools/execute_notebooks.py, then rendered), force (executed one after another by the book build), cache (only
# notebooks whose code changed; misses edits to helpers/), or off (the stored outputs).
BOOK_EXECUTE ?= auto
# What the stored outputs depend on (BOOK_EXECUTE=auto): unchanged against git HEAD, no untracked files.
OUTPUT_INPUTS := helpers notebooks data requirements.txt pyproject.toml

.PHONY: venv book test test-unit test-nbval test-book test-browser lab clean bench data

venv: $(STAMP) $(KERNEL_CONFIG)
	@# An editable install made while helpers/__init__.py did not exist yet maps `helpers`
	@# as a namespace package (its __init__ is then never run): redo it when that is the case.
	@$(PY) -I -c 'import sys, helpers; sys.exit(helpers.__file__ is None)' 2>/dev/null || \
	  { echo "re-installing helpers (editable)"; $(PY) -m pip install -q --no-deps -e .; }

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required, got " + sys.version.split()[0] + " from $(PYTHON); use make PYTHON=/path/to/python3.11")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q pip==$(PIP_VERSION)
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ipykernel)"
	MPLBACKEND=Agg $(PY) -c 'import matplotlib.pyplot'  # build matplotlib's font cache now, not inside a notebook
	touch $(STAMP)

# Drops ipykernel's "Kernel is running over TCP without encryption" notice, once per
# executed notebook otherwise; see tools/ipython_kernel_config.py for why.
$(KERNEL_CONFIG): tools/ipython_kernel_config.py $(STAMP)
	install -D -m 644 $< $@

# _build/_config.<mode>.yml: _config.yml with execute_notebooks set to <mode> (force, cache, off).
define book_config
	mkdir -p _build
	sed 's/^\(  execute_notebooks:\).*/\1 $(1)/' _config.yml > _build/_config.$(1).yml
	@grep -q '^  execute_notebooks: $(1)$$' _build/_config.$(1).yml || \
	  { echo "_config.yml: no '  execute_notebooks:' line to set to $(1)" >&2; exit 1; }
endef

book: venv
ifeq ($(BOOK_EXECUTE),auto)
	@if git diff --quiet HEAD -- $(OUTPUT_INPUTS) 2>/dev/null && \
	    [ -z "$$(git ls-files --others --exclude-standard -- $(OUTPUT_INPUTS))" ]; then \
	  echo "make book: helpers/, notebooks/, data/ and the pins are as committed: rendering the stored outputs" \
	       "(make test proves them; make book BOOK_EXECUTE=parallel executes every notebook anyway)"; \
	  $(MAKE) --no-print-directory book BOOK_EXECUTE=off; \
	else \
	  echo "make book: local changes (or no git checkout): executing every notebook"; \
	  $(MAKE) --no-print-directory book BOOK_EXECUTE=parallel; \
	fi
else ifeq ($(BOOK_EXECUTE),force)
	$(BIN)/jupyter-book build . --all
else ifeq ($(BOOK_EXECUTE),parallel)
	$(PY) tools/execute_notebooks.py --cache _build/.jupyter_cache notebooks/*.ipynb
	$(call book_config,cache)
	$(BIN)/jupyter-book build . --all --config _build/_config.cache.yml
else
	$(call book_config,$(BOOK_EXECUTE))
	$(BIN)/jupyter-book build . --all --config _build/_config.$(BOOK_EXECUTE).yml
endif
ifneq ($(BOOK_EXECUTE),auto)
	@echo "Book: $(CURDIR)/_build/html/index.html"
endif

# Runs all four stages even if one fails; fails if any failed. Each notebook is
# executed once: by test-nbval, which proves that re-executing it reproduces the
# outputs stored in it; test-book then renders those stored outputs (no execution)
# with -W. The unit tests and nbval are independent and run side by side (two
# cores; each one's output is printed when it ends); they share the cache, where
# an entry that both need is built once (helpers/symcache.py). The browser stage
# checks the HTML that the book stage has just written, so it comes last.
test: venv
	@mkdir -p _build/logs; status=0; failed=""; \
	for stage in unit nbval; do \
	  ( $(MAKE) --no-print-directory test-$$stage > _build/logs/test-$$stage.log 2>&1; \
	    echo $$? > _build/logs/test-$$stage.rc ) & \
	done; wait; \
	for stage in unit nbval; do \
	  echo "== test-$$stage"; cat _build/logs/test-$$stage.log; \
	  [ "$$(cat _build/logs/test-$$stage.rc)" = 0 ] || { status=1; failed="$$failed $$stage"; }; \
	done; \
	$(MAKE) --no-print-directory test-book    || { status=1; failed="$$failed book"; }; \
	$(MAKE) --no-print-directory test-browser || { status=1; failed="$$failed browser"; }; \
	if [ $$status -eq 0 ]; then echo "make test: all stages passed (unit, nbval, book -W, browser)"; \
	else echo "make test: FAILED stages:$$failed"; fi; \
	exit $$status

test-unit: venv
	$(BIN)/pytest tests

# The scorecard (it evaluates the paper's method under many readings) runs beside the other chapters.
NB_SIDE := notebooks/08_scorecard.ipynb
NB_MAIN := $(filter-out $(NB_SIDE),$(sort $(wildcard notebooks/*.ipynb)))
test-nbval: venv
	@mkdir -p _build/logs; \
	( $(BIN)/pytest --nbval --nbval-current-env --nbval-cell-timeout=600 $(NB_SIDE) > _build/logs/nbval-side.log 2>&1; \
	  echo $$? > _build/logs/nbval-side.rc ) & \
	$(BIN)/pytest --nbval --nbval-current-env --nbval-cell-timeout=600 $(NB_MAIN); main=$$?; wait; \
	cat _build/logs/nbval-side.log; side=$$(cat _build/logs/nbval-side.rc); \
	[ $$main = 0 ] && [ $$side = 0 ]

# The whole book with -W, rendered from the outputs stored in the notebooks
# (execute_notebooks: off): a stored stderr output is still a warning, so an error.
# On its own it does not run the notebooks: test-nbval (or `make book`) does.
test-book: venv
	$(call book_config,off)
	$(BIN)/jupyter-book build . --all -W --keep-going --config _build/_config.off.yml

# Checks the pages already in _build/html (from test-book or book) in headless
# Chromium: rendered math, widths, images, console errors. Needs the Debian packages
# chromium and chromium-driver. Screenshots go to _build/screenshots/.
test-browser: venv
	$(PY) tests/browser/check_book.py --html-dir _build/html

# Extra arguments for `make lab`, e.g. LAB_ARGS="--no-browser --port 8899".
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)
lab: venv
	$(BIN)/jupyter lab $(LAB_ARGS)

# Removes _build/ and empties the derivation and array cache (helpers/symcache.py:
# $DIPOLE_CACHE_DIR, else the user's cache directory, e.g. ~/.cache/dipole-portal-book).
# Run as a script with -I, so it needs neither the venv nor an importable helpers
# package; .symcache/ is where the cache was kept before it moved out of the tree.
# Regenerate every exported file (data/limits, data/hnlimits, data/hepdata, book/headline.png) from the package:
# the only writer of data/; notebooks write nothing. Commit the result.
data: venv
	$(PY) -m helpers export

clean:
	rm -rf _build .symcache
	$(if $(wildcard $(PY)),$(PY),$(PYTHON)) -I helpers/symcache.py --clear

bench: venv
	@status=0; for f in benchmarks/*.py; do \
	  echo "== $$f"; $(PY) $$f || status=1; \
	done; exit $$status
