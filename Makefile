run:
	bash scripts/setup.sh
	.venv/bin/mrs-etl run

test:
	bash scripts/setup.sh --dev
	.venv/bin/python -m pytest -q -n 2 --dist loadfile

.PHONY: run test
