# The two commands of the README. Each does all set-up first (scripts/setup.sh).
.PHONY: setup sample test bench

setup:
	bash scripts/setup.sh

## Run the main job on the bundled sample projects.
sample: setup
	.venv/bin/selfeval validate params/2023
	.venv/bin/selfeval evaluate params/2023/dongqu-yjglj-ydhs.yaml

## Run the test suite.
test: setup
	.venv/bin/python -m pytest -q

bench: setup
	.venv/bin/python bench/evaluate_many.py
