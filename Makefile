# MMPlug entry points. Each target installs what it needs first (see tools/install.sh).
PY := .venv/bin/python
STAMP := .venv/.mmplug-installed
DEMO_CONFIG := configs/demo/tsn_r18_1xb16-1x1x3-15e_moving-digits.py
DEMO_WORK_DIR := work_dirs/demo

.PHONY: install demo test lint clean

install: $(STAMP)

$(STAMP): tools/install.sh setup.py $(wildcard requirements/*.txt)
	bash tools/install.sh
	touch $(STAMP)

# Trains the default model on the embedded moving-digits videos (written to data/ on first
# use), then evaluates the last checkpoint on the held-out test split and prints top-1.
demo: install
	$(PY) tools/train.py $(DEMO_CONFIG) --work-dir $(DEMO_WORK_DIR)
	$(PY) tools/test.py $(DEMO_CONFIG) $$(cat $(DEMO_WORK_DIR)/last_checkpoint) \
		--work-dir $(DEMO_WORK_DIR)/test

test: install lint
	$(PY) -m pytest tests

lint: install
	.venv/bin/ruff check .

clean:
	rm -rf work_dirs .pytest_cache
