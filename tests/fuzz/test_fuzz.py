"""Fuzzing (tools/fuzz.py) as a test: mutated sample modules, each built and
loaded by a kmodsim worker subprocess under a 5 s limit (CPU time on a
shared machine, see tools/fuzz.py), must give no
internal error, no hang and no host path.  Bounded to about two minutes:
each hypothesis test stops drawing new inputs after its time budget.
Any bad outcome fails it, in the preprocessor or anywhere else."""
from __future__ import annotations

import importlib.util
import random
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent.parent
_spec = importlib.util.spec_from_file_location("kmodfuzz", ROOT / "tools" / "fuzz.py")
assert _spec is not None and _spec.loader is not None
fuzz = importlib.util.module_from_spec(_spec)
sys.modules["kmodfuzz"] = fuzz
_spec.loader.exec_module(fuzz)

BUDGET_SECONDS = 55.0          # per hypothesis test; two of them
SAMPLES = {p.name: p.read_bytes() for p in fuzz.samples()}
# the 1 MB literals are left to the campaign: on a loaded CI machine their
# wall time is mostly waiting for a core
KINDS = sorted(fuzz.MUTATIONS)


@pytest.fixture(scope="module")
def runner():
    r = fuzz.Runner()
    yield r
    r.close()


class Tally:
    def __init__(self) -> None:
        self.start = time.monotonic()
        self.seen: list[tuple[str, object]] = []
        self.failed: set[object] = set()

    def over(self, key: object) -> bool:
        """The budget is spent (a failing example is still re-run, as
        hypothesis does to report it)."""
        return time.monotonic() - self.start > BUDGET_SECONDS and key not in self.failed

    def check(self, key: object, source: bytes, v) -> None:
        self.seen.append((v.klass, v.seconds))
        if v.klass in fuzz.BAD:
            self.failed.add(key)
        assert v.klass not in fuzz.BAD, (v.klass, v.output[-2000:], source[:3000])

    def finish(self) -> None:
        assert self.seen, "no input was run"


def test_mutated_samples(runner) -> None:
    tally = Tally()

    @settings(max_examples=400, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(sample=st.sampled_from(sorted(SAMPLES)),
           kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=3),
           seed=st.integers(0, 2**32 - 1))
    def one(sample: str, kinds: list[str], seed: int) -> None:
        key = (sample, tuple(kinds), seed)
        if tally.over(key):
            return
        rng = random.Random(seed)
        src = SAMPLES[sample]
        for kind in kinds:
            src = fuzz.MUTATIONS[kind](src, rng)
            if len(src) > 200_000:           # see KINDS: huge inputs are the campaign's
                return
        tally.check(key, src, runner.run(src))
    one()
    tally.finish()


def test_random_bytes_in_a_module(runner) -> None:
    """Arbitrary bytes (NUL, 0xff, broken UTF-8, stray directives) spliced
    into hi.c at an arbitrary place."""
    tally = Tally()
    hi = SAMPLES["hi.c"]

    @settings(max_examples=400, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(at=st.integers(0, len(hi)), junk=st.binary(min_size=1, max_size=64)
           | st.sampled_from(fuzz.DIRECTIVES + fuzz.SNIPPETS))
    def one(at: int, junk: bytes) -> None:
        if tally.over((at, junk)):
            return
        src = hi[:at] + junk + hi[at:]
        tally.check((at, junk), src, runner.run(src))
    one()
    tally.finish()


def test_classifier_sees_each_class(runner) -> None:
    """The verdicts mean what they say: a good module is ok, a broken one a
    diagnostic, a host path in the output not in the input is flagged."""
    assert runner.run(SAMPLES["hi.c"]).klass == "ok"
    assert runner.run(SAMPLES["hi.c"].replace(b"return 0;", b"return 0")).klass == "diagnostic"
    leaked = fuzz.classify(b"int x;", "/tmp/d", {"stdout": "read /etc/shadow", "stderr": ""}, 0.1)
    assert leaked.klass == "host-path"
    echoed = fuzz.classify(b'#include "/etc/shadow"', "/tmp/d",
                           {"stdout": "", "stderr": "/etc/shadow: No such file"}, 0.1)
    assert echoed.klass == "diagnostic" or echoed.klass == "ok"
    assert fuzz.classify(b"", "/tmp/d", None, 5.0).klass == "hang"
