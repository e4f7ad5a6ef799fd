# The two commands of the README. Each does all set-up first (scripts/setup.sh).
.PHONY: setup sample test bench

setup:
	bash scripts/setup.sh

## Run the main job on the bundled sample projects: reports in outputs/2023/<project>/ and
## the year's index in outputs/2023/index.html; working copies of the notebooks in notebooks/
## (for `jupyter lab notebooks/`; never the package's own, so opening them changes nothing tracked).
sample: setup
	.venv/bin/selfeval batch params/2023 --out outputs --formats ipynb,html,pdf,xlsx,docx
	.venv/bin/selfeval notebooks notebooks

## Run the test suite.
test: setup
	.venv/bin/python -m pytest -q

bench: setup
	.venv/bin/python bench/evaluate_many.py
	.venv/bin/python bench/report_one.py
	.venv/bin/python bench/batch_vs_naive.py
	.venv/bin/python bench/review_pdf.py
	.venv/bin/python bench/requality_summary.py
	.venv/bin/python bench/monitor_many.py
	.venv/bin/python bench/scale.py
	.venv/bin/python bench/batch_startup.py
