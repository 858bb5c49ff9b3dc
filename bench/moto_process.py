"""`python -m bench.moto_process -p PORT`: the local stack's moto (dev/atomic_moto.py, with
dev/moto_fixes.py), run as its own process so the benchmarks measure its CPU and memory apart."""

from __future__ import annotations

from dev.atomic_moto import main

if __name__ == "__main__":
    main()
