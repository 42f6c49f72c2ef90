"""PyAirbyte peer run for bench/native-connectors.bench.ts: source-faker into PyAirbyte's default DuckDB cache.

Usage: python bench/pyairbyte_faker.py COUNT [SOURCE_FAKER_EXECUTABLE]  ->  prints {"records": N, "seconds": S}
With no container registry reachable, the connector is the PyPI package installed in its own venv
(PyAirbyte's `local_executable`), which is what PyAirbyte itself installs for Python connectors.
"""
import os

os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")
import json
import sys
import time

import airbyte as ab

count = int(sys.argv[1])
start = time.perf_counter()
executable = sys.argv[2] if len(sys.argv) > 2 else None
source = ab.get_source("source-faker", config={"count": count, "seed": 1}, local_executable=executable) if executable else ab.get_source("source-faker", config={"count": count, "seed": 1}, install_if_missing=True)
source.select_all_streams()
result = source.read()
elapsed = time.perf_counter() - start
records = sum(len(result[name]) for name in result.streams)
print(json.dumps({"records": records, "seconds": elapsed}))
