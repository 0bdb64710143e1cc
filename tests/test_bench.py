"""The benchmark's arithmetic and its table (bench/run.py), without servers."""

import argparse
import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Named:
    name = "ours"


def wrk_round(ok, seconds=10.0, p50_ms=5.0, p99_ms=9.0, errors=0, cpu=1.0):
    return {
        "statuses": {"200": ok, "429": errors} if errors else {"200": ok},
        "errors": {"timeout": 0},
        "duration_us": seconds * 1e6,
        "p50_us": p50_ms * 1000,
        "p99_us": p99_ms * 1000,
        "cpu_seconds": {"gunicorn": cpu, "postgresql": cpu / 10},
    }


def test_rounds_combine_into_totals_and_median_latencies(bench):
    rounds = [
        wrk_round(1000, p50_ms=4, p99_ms=8),
        wrk_round(3000, p50_ms=6, p99_ms=30, errors=5),
        wrk_round(2000, p50_ms=5, p99_ms=10),
    ]

    figures = bench.combine(rounds, Named(), "profile")

    assert figures["rps"] == pytest.approx(200.0)
    assert figures["rps_rounds"] == pytest.approx([100.0, 300.0, 200.0])
    assert (figures["p50"], figures["p99"]) == (5.0, 10.0)
    assert figures["failures"] == {"status 429": 5}
    assert figures["cpu_ms"] == pytest.approx((3.0 + 0.3) * 1000 / 6000)


def test_a_run_where_nothing_finished_reports_not_available(bench, capsys):
    nothing = bench.combine([wrk_round(0)], Named(), "login")
    finished = bench.combine([wrk_round(50)], Named(), "login")
    queries = {"login": {"sql": 6, "framework_cpu_ms": 7.0, "health_checks": 0}}
    hasher = {"algorithm": "x", "make": 1.0, "check": 1.0}
    results = {
        "ours": {
            "login": finished,
            "queries": queries,
            "hasher": hasher,
            "peak_rss_mib": 80.0,
        },
        "baseline": {
            "login": nothing,
            "queries": queries,
            "hasher": hasher,
            "peak_rss_mib": 60.0,
        },
    }
    args = argparse.Namespace(
        warmup=1,
        rounds=1,
        seconds=2,
        connections=4,
        workers=2,
        hash_rounds=5,
        worker_alongside=False,
        extra_env={},
        smtp_delay=0,
    )

    bench.report(results, args, sink=argparse.Namespace(messages=0), cache_url="x")

    output = capsys.readouterr().out
    rows = {
        cells[0]: cells[1:]
        for line in output.splitlines()
        if line.startswith("| ")
        for cells in [[cell.strip() for cell in line.strip("|").split("|")]]
    }
    assert rows["login/ POST: requests/s"] == ["5.0", "0.0", "n/a"]
    assert rows["login/ POST: p50 ms"] == ["5.0", "n/a", "n/a"]
    assert rows["login/ POST: worker ms/request"] == ["400", "n/a", "n/a"]

    assert "1 round of 2 s per project" in output
    assert "'no request finished in the run': 1" in output
