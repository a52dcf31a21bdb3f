"""Real sentence-embedding models for the local adapter (the `local-models` extra), offline on the CPU.

WordLlama (MIT) ships its weights and tokenizer inside its wheel; its loader only looks for the
tokenizer in a cache folder, so it is pointed at the package's own folder and never downloads.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

SEED = 20240307


class WordLlamaEmbedder:
    """WordLlama's `l2_supercat` model (256 dimensions), mapped into the requested size.

    The 256-dimensional vector is mapped into larger sizes by a fixed orthonormal map, which keeps every
    length and cosine as they were.
    """

    name = "wordllama"
    native = 256

    def __init__(self) -> None:
        self._model = _wordllama()

    def vector(self, text: str, dimensions: int) -> list[float]:
        """The model's embedding of `text` in `dimensions` dimensions."""
        import numpy as np

        native = np.asarray(self._model.embed([text], norm=False)[0], dtype=np.float64)
        if dimensions == self.native:
            return native.tolist()
        if dimensions < self.native:
            return native[:dimensions].tolist()  # the model is trained to be truncated (Matryoshka)
        return (_orthonormal(dimensions, self.native) @ native).tolist()


@cache
def _wordllama() -> Any:
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError as exc:
        raise RuntimeError(
            "the wordllama embedder needs the local-models extra: pip install 'serverless-harness[local-models]'"
        ) from exc
    package = Path(wordllama.__file__).parent
    return WordLlama.load(config="l2_supercat", dim=256, cache_dir=package, disable_download=True)


@cache
def _orthonormal(rows: int, columns: int) -> Any:
    import numpy as np

    gaussian = np.random.default_rng(SEED).standard_normal((rows, columns))
    basis, _ = np.linalg.qr(gaussian)
    return basis


SENTENCE_MODELS = {"wordllama": WordLlamaEmbedder}
