"""A folder through a pool of workers, the on-disk embedding cache, and the in-memory one."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from aligner.encoders.cache import CachedEncoder, RememberingEncoder
from tests.conftest import SEEDS, run_cli


def test_jobs_two_gives_the_same_memory_as_jobs_one(tmp_path: Path) -> None:
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"seeds-{jobs}.tmx"
        result = run_cli("align", SEEDS, "-o", out, "--jobs", jobs, "--date", "20240101T000000Z", "--no-cache")
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_cache_returns_the_encoders_vectors_and_skips_it_on_a_rerun(tmp_path: Path, encoder) -> None:
    texts = ["조달청은 협약을 체결했다.", "PPS signed an MOU.", "조달청은 협약을 체결했다."]
    first = CachedEncoder(encoder, tmp_path)
    vectors = first.encode(texts)
    assert np.allclose(vectors, encoder.encode(texts), atol=1e-6)
    assert (first.hits, first.misses) == (1, 2)
    second = CachedEncoder(encoder, tmp_path)  # a new process would start like this
    assert np.array_equal(second.encode(texts), vectors)
    assert (second.hits, second.misses) == (3, 0)


def test_cache_is_keyed_by_encoder(tmp_path: Path, encoder) -> None:
    class Other:
        name, dimension = "other", 512

        def encode(self, texts):
            return np.ones((len(texts), 512), dtype=np.float32)

    CachedEncoder(encoder, tmp_path).encode(["같은 문장"])
    other = CachedEncoder(Other(), tmp_path)
    assert np.array_equal(other.encode(["같은 문장"]), np.ones((1, 512), dtype=np.float32))
    assert other.misses == 1


def test_cli_rerun_with_cache_gives_identical_output(tmp_path: Path) -> None:
    runs = []
    for name in ("a.tmx", "b.tmx"):
        result = run_cli("align", SEEDS, "-o", tmp_path / name, "--cache", tmp_path / "cache", "--date", "20240101T000000Z")
        assert result.returncode == 0, result.stderr
        runs.append((tmp_path / name).read_bytes())
    assert runs[0] == runs[1]
    assert (tmp_path / "cache" / "alignments.sqlite").exists()


def test_cached_alignment_is_keyed_by_encoder_and_text(tmp_path: Path) -> None:
    from aligner.alignment_cache import AlignmentCache
    from aligner.align import DEFAULT_PARAMS
    from aligner.data import Alignment, Bead, Document, Sentence
    from aligner.documents import TextPair

    pair = TextPair("doc", "조달청은 협약을 체결했다.", "PPS signed an MOU.", "ko", "en")
    cache = AlignmentCache(tmp_path)
    key = cache.key(pair, False, "use", DEFAULT_PARAMS)
    alignment = Alignment(Document("doc", "ko", "en", [Sentence(pair.src)], [Sentence(pair.tgt)]),
                          [Bead((0,), (0,), 0.8)])
    cache.put(key, alignment)
    assert AlignmentCache(tmp_path).get(key, "renamed").beads == alignment.beads
    assert AlignmentCache(tmp_path).get(key, "renamed").document.name == "renamed"
    assert key != cache.key(pair, False, "none", DEFAULT_PARAMS)
    assert key != cache.key(TextPair("doc", pair.src, "PPS signed.", "ko", "en"), False, "use", DEFAULT_PARAMS)
    assert cache.get(cache.key(pair, True, "use", DEFAULT_PARAMS), "doc") is None


class _Counting:
    """A stand-in encoder for cache plumbing only (the cache, not the encoder, is under test)."""

    name, dimension = "counting", 4

    def encode(self, texts):
        return np.array([[len(t), 1, 0, 0] for t in texts], dtype=np.float32)


def _encode_in_process(folder: str) -> list:
    return CachedEncoder(_Counting(), Path(folder)).encode([f"문장 {i}" for i in range(300)]).tolist()


def test_processes_opening_one_new_cache_at_once(tmp_path: Path) -> None:
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(4) as pool:
        results = list(pool.map(_encode_in_process, [str(tmp_path)] * 8))
    assert all(r == results[0] for r in results)
    assert CachedEncoder(_Counting(), tmp_path).encode(["문장 1"]).tolist() == [results[0][1]]


def test_the_search_again_embeds_only_the_new_parts(encoder) -> None:
    class Recording:
        """The real encoder, with the texts of each call it gets written down."""

        def __init__(self, inner) -> None:
            self.inner, self.name, self.dimension, self.calls = inner, inner.name, inner.dimension, []

        def encode(self, texts):
            self.calls.append(list(texts))
            return self.inner.encode(texts)

    recording = Recording(encoder)
    remembering = RememberingEncoder(recording)
    first = remembering.encode(["조달청은 혁신제품 구매를 늘린다.", "PPS to double purchases"])
    again = remembering.encode(["PPS to double purchases", "of innovative products"])
    assert recording.calls == [["조달청은 혁신제품 구매를 늘린다.", "PPS to double purchases"], ["of innovative products"]]
    assert (again[0] == first[1]).all() and again.shape == (2, remembering.dimension)
